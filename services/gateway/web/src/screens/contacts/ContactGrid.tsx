import { flexRender, getCoreRowModel, useReactTable, type RowSelectionState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { COLUMNS, type Contact } from "./columns";
import type { Sort } from "./filters";

const ROW_HEIGHT = 52;

type Props = {
  contacts: Contact[];
  /** Ids of the columns the user chose not to see. */
  hidden: string[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selected: RowSelectionState;
  onSelect: (selected: RowSelectionState) => void;
  hasMore: boolean;
  loadMore: () => void;
  onOpen: (contact: Contact) => void;
};

function nextSort(current: Sort, column: string): Sort {
  if (column === "last_contacted") return current === "-last_contacted" ? "last_contacted" : "-last_contacted";
  return "last_name";
}

function sortMark(current: Sort, column: string): "ascending" | "descending" | "none" {
  if (current.replace("-", "") !== column) return "none";
  return current.startsWith("-") ? "descending" : "ascending";
}

export function ContactGrid(props: Props) {
  const table = useReactTable({
    data: props.contacts,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (contact) => contact.id,
    manualSorting: true,
    state: { rowSelection: props.selected, columnVisibility: Object.fromEntries(props.hidden.map((id) => [id, false])) },
    onRowSelectionChange: (update) => props.onSelect(typeof update === "function" ? update(props.selected) : update),
  });
  const scroller = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    // One page per request: the next one only when the last rows come into view.
    if (last && props.hasMore && last.index >= rows.length - 10) props.loadMore();
  }, [last?.index, rows.length, props.hasMore]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="grid-scroller" ref={scroller}>
      <table className="grid" aria-rowcount={rows.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sortable = header.column.getCanSort() && header.column.id !== "select";
                const mark = sortMark(props.sort, header.column.id);
                return (
                  <th key={header.id} style={{ width: header.getSize() }} aria-sort={sortable ? mark : undefined}>
                    {sortable ? (
                      <button type="button" className="sort" onClick={() => props.onSort(nextSort(props.sort, header.column.id))}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">{mark === "ascending" ? " ▲" : mark === "descending" ? " ▼" : ""}</span>
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: virtual.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <tr key={row.id} data-index={item.index} aria-rowindex={item.index + 2} className={row.getIsSelected() ? "selected" : undefined}
                style={{ transform: `translateY(${item.start}px)` }} onDoubleClick={() => props.onOpen(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} style={{ width: cell.column.getSize() }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
