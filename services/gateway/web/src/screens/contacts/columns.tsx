import { createColumnHelper } from "@tanstack/react-table";
import { Link } from "react-router";
import type { Schemas } from "../../api/client";
import { profileHref } from "../../app/routes";
import { fullTime, timeAgo } from "../../format/time";
import { PhoneList } from "./PhoneList";

export type Contact = Schemas["ContactSummary"];
const column = createColumnHelper<Contact>();

export function fullName(contact: { first_name: string; last_name: string }): string {
  return `${contact.first_name} ${contact.last_name}`.trim() || "(no name)";
}

/** The columns, each sortable one named after the API's sort key. */
export const COLUMNS = [
  column.display({
    id: "select",
    header: ({ table }) => (
      <input type="checkbox" aria-label="Select this page" checked={table.getIsAllRowsSelected()}
        ref={(box) => { if (box) box.indeterminate = table.getIsSomeRowsSelected(); }}
        onChange={table.getToggleAllRowsSelectedHandler()} />
    ),
    cell: ({ row }) => (
      <input type="checkbox" aria-label={`Select ${fullName(row.original)}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
    ),
    size: 40,
  }),
  column.accessor((contact) => fullName(contact), {
    id: "last_name",
    header: "Name",
    cell: ({ row }) => (
      <span className="name-cell">
        <Link to={profileHref(row.original.id)}>{fullName(row.original)}</Link>
        {row.original.dnc && <span className="pill danger" title="Do not contact">DNC</span>}
      </span>
    ),
    size: 220,
  }),
  column.accessor("phones", { header: "Phones", cell: ({ getValue }) => <PhoneList phones={getValue()} />, enableSorting: false, size: 300 }),
  column.accessor("emails", { header: "Email", cell: ({ getValue }) => getValue()[0] ?? "", enableSorting: false, size: 220 }),
  column.accessor("tags", {
    header: "Tags",
    cell: ({ getValue }) => (
      <span className="tags">
        {getValue().map((tag) => <span key={tag} className="pill">{tag}</span>)}
      </span>
    ),
    enableSorting: false,
    size: 220,
  }),
  column.accessor("last_contacted_at", {
    id: "last_contacted",
    header: "Last contacted",
    cell: ({ getValue }) => {
      const at = getValue();
      return at ? <time dateTime={at} title={fullTime(at)}>{timeAgo(at)}</time> : <span className="muted">Never</span>;
    },
    size: 140,
  }),
];
