// Saved views (a name for the current filters and sort) and the column chooser, kept per user.
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useState, type FormEvent } from "react";
import { deleteView, saveHiddenColumns, saveView, savedViews, type SavedView } from "./preferences";

export const HIDEABLE_COLUMNS: { id: string; label: string }[] = [
  { id: "phones", label: "Phones" },
  { id: "emails", label: "Email" },
  { id: "tags", label: "Tags" },
  { id: "last_contacted", label: "Last contacted" },
];

export function SavedViews({ userId, query, onOpen }: { userId: string; query: string; onOpen: (query: string) => void }) {
  const [views, setViews] = useState<SavedView[]>(() => savedViews(userId));
  const [naming, setNaming] = useState(false);
  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim().slice(0, 60);
    if (!name) return;
    setViews(saveView(userId, { name, query }));
    setNaming(false);
  }
  const current = views.find((view) => view.query === query)?.name ?? "";
  return (
    <div className="saved-views">
      <label>
        <span className="visually-hidden">Saved views</span>
        <select aria-label="Saved views" value={current} onChange={(event) => {
          const view = views.find((kept) => kept.name === event.target.value);
          if (view) onOpen(view.query);
        }}>
          <option value="">{views.length ? "Saved views…" : "No saved views"}</option>
          {views.map((view) => <option key={view.name} value={view.name}>{view.name}</option>)}
        </select>
      </label>
      {current && (
        <button type="button" aria-label={`Delete the saved view ${current}`} onClick={() => setViews(deleteView(userId, current))}>Delete view</button>
      )}
      {naming ? (
        <form onSubmit={save} className="name-view">
          <input name="name" aria-label="Name of the view" placeholder="e.g. Precinct 12 volunteers" maxLength={60} autoFocus required />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(false)}>Cancel</button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>Save view</button>
      )}
    </div>
  );
}

export function ColumnChooser({ userId, hidden, onChange }: { userId: string; hidden: string[]; onChange: (hidden: string[]) => void }) {
  function toggle(id: string, shown: boolean) {
    const next = shown ? hidden.filter((kept) => kept !== id) : [...hidden, id];
    saveHiddenColumns(userId, next);
    onChange(next);
  }
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button">Columns</button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">Show columns</DropdownMenu.Label>
          {HIDEABLE_COLUMNS.map((column) => (
            <DropdownMenu.CheckboxItem key={column.id} className="menu-item" checked={!hidden.includes(column.id)}
              onCheckedChange={(shown) => toggle(column.id, shown === true)} onSelect={(event) => event.preventDefault()}>
              <span aria-hidden="true" className="menu-check">{hidden.includes(column.id) ? "" : "✓"}</span> {column.label}
            </DropdownMenu.CheckboxItem>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
