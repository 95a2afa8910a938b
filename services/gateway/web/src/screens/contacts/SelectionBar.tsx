// What can be done to the selection: widen it to every match, tag or untag it, text it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import { can, useMe } from "../../session/me";
import type { Filters } from "./filters";
import { bulkBody, selectedCount, type Selection } from "./selection";
import { useTags } from "./useContactPages";

type Props = {
  selection: Selection;
  filters: Filters;
  matching: number | undefined;
  onSelectAll: () => void;
  onClear: () => void;
  onText: () => void;
};

function useBulkTag(selection: Selection, filters: Filters) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ tag, untag }: { tag: string; untag: boolean }) =>
      unwrap(api.POST(untag ? "/api/contacts/bulk/untag" : "/api/contacts/bulk/tag", { body: { tag, ...bulkBody(selection, filters) } })),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["contacts"] });
      client.invalidateQueries({ queryKey: ["tags"] });
    },
  });
}

function people(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? "person" : "people"}`;
}

export function SelectionBar({ selection, filters, matching, onSelectAll, onClear, onText }: Props) {
  const me = useMe().data;
  const tags = useTags();
  const [tag, setTag] = useState("");
  const bulk = useBulkTag(selection, filters);
  const listId = useId();
  const count = selectedCount(selection, matching);
  if (count === 0) return null;
  const apply = (untag: boolean) => tag.trim() && bulk.mutate({ tag: tag.trim(), untag });
  const done = bulk.data && bulk.variables;
  return (
    <div className="selection-bar" role="region" aria-label="Selection">
      <span className="selection-count" role="status">
        {selection.allMatching ? `All ${people(count)} matching selected` : `${people(count)} selected`}
      </span>
      {!selection.allMatching && matching !== undefined && matching > count && (
        <button type="button" className="link-button" onClick={onSelectAll}>Select all {matching.toLocaleString()} matching</button>
      )}
      <button type="button" className="link-button" onClick={onClear}>Clear selection</button>
      {can(me, "POST /api/contacts/bulk/tag") && (
        <form className="bulk-tag" onSubmit={(event) => { event.preventDefault(); apply(false); }}>
          <input aria-label="Tag name" placeholder="Tag" list={listId} value={tag} maxLength={100} onChange={(event) => setTag(event.target.value)} />
          <datalist id={listId}>{tags.data?.map((known) => <option key={known.name} value={known.name} />)}</datalist>
          <button type="submit" disabled={!tag.trim() || bulk.isPending}>Tag</button>
          <button type="button" disabled={!tag.trim() || bulk.isPending} onClick={() => apply(true)}>Untag</button>
        </form>
      )}
      <button type="button" className="primary" onClick={onText}>Text {people(count)}</button>
      {bulk.isError && <p className="error" role="alert">{bulk.error.message}</p>}
      {done && (
        <p className="muted" role="status">
          {done.untag ? "Untagged" : "Tagged"} “{done.tag}”: {bulk.data.changed.toLocaleString()} changed of {bulk.data.matched.toLocaleString()}
          {bulk.data.at_tag_limit ? `; ${bulk.data.at_tag_limit} already carry as many tags as a contact may` : ""}.
        </p>
      )}
    </div>
  );
}

export function TextBubble({ count, onOpen }: { count: number; onOpen: () => void }) {
  const label = count ? `Text ${people(count)}` : "Text: tick people in the grid first";
  return (
    <button type="button" className="text-bubble" aria-label={label} title={label} aria-disabled={count === 0}
      onClick={() => count > 0 && onOpen()}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="26" height="26">
        <path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2Z" />
      </svg>
      {count > 0 && <span className="badge">{count > 999 ? "999+" : count}</span>}
    </button>
  );
}
