// Who is selected in the grid (ticked rows, or every contact matching the filters), and the
// text sidebar's target as it is kept in the URL (?text=all, ?text=<id>,<id>, ?text=ticked).
import type { RowSelectionState } from "@tanstack/react-table";
import type { TextTarget } from "../../texting/TextSidebar";
import { selectionFilter, type Filters } from "./filters";

export type Selection = { ticked: RowSelectionState; allMatching: boolean };
export const NOTHING: Selection = { ticked: {}, allMatching: false };
// Past this many ticked people the URL says "ticked" rather than naming each one.
const MOST_IDS_IN_URL = 50;

export function tickedIds(selection: Selection): string[] {
  return Object.keys(selection.ticked).filter((id) => selection.ticked[id]);
}

export function selectedCount(selection: Selection, matching: number | undefined): number {
  return selection.allMatching ? (matching ?? 0) : tickedIds(selection).length;
}

/** The request body naming the selection for the bulk routes (bulk tag/untag take the same). */
export function bulkBody(selection: Selection, filters: Filters): { filter: Record<string, unknown> } | { contact_ids: string[] } {
  return selection.allMatching ? { filter: selectionFilter(filters) } : { contact_ids: tickedIds(selection) };
}

export function textParam(selection: Selection): string {
  if (selection.allMatching) return "all";
  const ids = tickedIds(selection);
  return ids.length <= MOST_IDS_IN_URL ? ids.join(",") : "ticked";
}

export function targetFrom(param: string, selection: Selection, filters: Filters, matching: number | undefined): TextTarget {
  if (param === "all") return { kind: "all", filter: selectionFilter(filters), count: matching ?? 0 };
  const ids = param === "ticked" ? tickedIds(selection) : param.split(",").filter(Boolean);
  if (ids.length === 0) return { kind: "unknown" };
  return ids.length === 1 ? { kind: "one", contactId: ids[0] } : { kind: "ids", contactIds: ids };
}

/** The URL with the text sidebar opened for `value`, or closed. */
export function withText(params: URLSearchParams, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set("text", value);
  else next.delete("text");
  return next;
}
