// "All filters": every filter the contacts API has, in one form; applying it rewrites the URL.
import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import { can, useMe } from "../../session/me";
import { DAY_WORDS, DAYS, FLAG_WORDS, TAG_LIST_WORDS, TAG_LISTS, type Filters, type Flag } from "./filters";
import { useTags } from "./useContactPages";

export function useOwners() {
  const me = useMe();
  return useQuery({
    queryKey: ["users"],
    queryFn: () => unwrap(api.GET("/api/users")),
    enabled: can(me.data, "GET /api/users"),
    staleTime: 60_000,
  });
}

function formFilters(form: FormData, sort: Filters["sort"], q: string | undefined): Filters {
  const next: Filters = { sort };
  if (q) next.q = q;
  for (const name of ["tag", "city", "state", "zip", "owner", ...DAYS] as const) {
    const value = String(form.get(name) ?? "").trim();
    if (value) next[name] = value;
  }
  for (const name of TAG_LISTS) {
    const picked = form.getAll(name).map(String).filter(Boolean);
    if (picked.length) next[name] = picked;
  }
  for (const flag of Object.keys(FLAG_WORDS) as Flag[]) {
    const value = form.get(flag);
    if (value === "true" || value === "false") next[flag] = value === "true";
  }
  return next;
}

export function FiltersPanel({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const [open, setOpen] = useState(false);
  const tags = useTags();
  const owners = useOwners();
  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(formFilters(new FormData(event.currentTarget), filters.sort, filters.q));
    setOpen(false);
  }
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button">All filters</button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="sheet-overlay" />
        <Dialog.Content className="side-sheet filters-panel" aria-describedby={undefined}>
          <div className="sheet-header">
            <Dialog.Title className="sheet-title">All filters</Dialog.Title>
            <Dialog.Close className="sheet-close" aria-label="Close the filters">×</Dialog.Close>
          </div>
          <form onSubmit={apply} className="filters-form">
            <label>Tag
              <select name="tag" defaultValue={filters.tag ?? ""}>
                <option value="">Any</option>
                {tags.data?.map((tag) => <option key={tag.name} value={tag.name}>{tag.name}</option>)}
              </select>
            </label>
            {TAG_LISTS.map((name) => (
              <label key={name}>{TAG_LIST_WORDS[name]}
                <select name={name} multiple defaultValue={filters[name] ?? []} size={Math.min(5, Math.max(2, tags.data?.length ?? 2))}>
                  {tags.data?.map((tag) => <option key={tag.name} value={tag.name}>{tag.name}</option>)}
                </select>
              </label>
            ))}
            {(Object.keys(FLAG_WORDS) as Flag[]).map((flag) => (
              <label key={flag}>{FLAG_WORDS[flag][0]}
                <select name={flag} defaultValue={filters[flag] === undefined ? "" : String(filters[flag])}>
                  <option value="">Either</option>
                  <option value="true">Yes</option>
                  <option value="false">No</option>
                </select>
              </label>
            ))}
            <label>City<input name="city" defaultValue={filters.city ?? ""} maxLength={100} /></label>
            <label>State<input name="state" defaultValue={filters.state ?? ""} maxLength={50} /></label>
            <label>ZIP<input name="zip" defaultValue={filters.zip ?? ""} maxLength={10} inputMode="numeric" /></label>
            {owners.data && (
              <label>Owner
                <select name="owner" defaultValue={filters.owner ?? ""}>
                  <option value="">Anyone</option>
                  {owners.data.map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
                </select>
              </label>
            )}
            {DAYS.map((name) => (
              <label key={name}>{DAY_WORDS[name]}<input type="date" name={name} defaultValue={filters[name] ?? ""} /></label>
            ))}
            <div className="form-actions">
              <button type="submit" className="primary">Apply filters</button>
              <button type="button" onClick={() => { onApply({ sort: filters.sort }); setOpen(false); }}>Clear all</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
