import { lazy, Suspense, useState, type FormEvent } from "react";
import type { RowSelectionState } from "@tanstack/react-table";
import { useNavigate, useSearchParams } from "react-router";
import { profileHref } from "../../app/routes";
import { ContactGrid } from "./ContactGrid";
import { useMe } from "../../session/me";
import { activeChips, filtersFrom, paramsOf, withFilter, FLAG_WORDS, type Filters, type Flag } from "./filters";
import { FiltersPanel, useOwners } from "./FiltersPanel";
import { ColumnChooser, SavedViews } from "./GridOptions";
import { hiddenColumns } from "./preferences";
import { NOTHING, selectedCount, targetFrom, textParam, withText, type Selection } from "./selection";
import { SelectionBar, TextBubble } from "./SelectionBar";
import { useContactPages, useMatchingCount, useTags } from "./useContactPages";
import { LoadFailed } from "../../components/LoadFailed";

const TextSidebar = lazy(() => import("../../texting/TextSidebar"));

function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [draft, setDraft] = useState(value);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(draft.trim());
  }
  return (
    <form role="search" className="search" onSubmit={submit}>
      <input type="search" aria-label="Search contacts by name, email or phone digits" placeholder="Search name, email or phone"
        value={draft} onChange={(event) => setDraft(event.target.value)} />
      <button type="submit">Search</button>
    </form>
  );
}

function FilterPicker({ onPick }: { onPick: (name: string, value: string | boolean) => void }) {
  const tags = useTags();
  return (
    <div className="filter-picker">
      <label>
        <span className="visually-hidden">Filter by tag</span>
        <select aria-label="Filter by tag" value="" onChange={(event) => event.target.value && onPick("tag", event.target.value)}>
          <option value="">Tag…</option>
          {tags.data?.map((tag) => <option key={tag.name} value={tag.name}>{tag.name}</option>)}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Add a filter</span>
        <select aria-label="Add a filter" value="" onChange={(event) => {
          const [flag, value] = event.target.value.split(":");
          if (flag) onPick(flag, value === "true");
        }}>
          <option value="">More filters…</option>
          {(Object.keys(FLAG_WORDS) as Flag[]).flatMap((flag) => [
            <option key={`${flag}:true`} value={`${flag}:true`}>{FLAG_WORDS[flag][0]}</option>,
            <option key={`${flag}:false`} value={`${flag}:false`}>{FLAG_WORDS[flag][1]}</option>,
          ])}
        </select>
      </label>
    </div>
  );
}

export function ContactsScreen() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = filtersFrom(params);
  const pages = useContactPages(filters);
  const matching = useMatchingCount(filters);
  const [selection, setSelection] = useState<Selection>(NOTHING);
  const me = useMe();
  const userId = me.data?.id ?? "signed-in";
  const [hidden, setHidden] = useState<string[]>(() => hiddenColumns(userId));
  const owners = useOwners();
  const ownerName = (id: string) => owners.data?.find((user) => user.id === id)?.name ?? "another user";
  const chips = activeChips(filters, ownerName);
  const applyFilters = (next: Filters) => {
    setSelection(NOTHING);
    setParams(paramsOf(next));
  };
  const viewQuery = paramsOf(filters).toString();
  const contacts = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (name: string, value: string | boolean | undefined) => {
    setSelection(NOTHING);
    setParams(withFilter(params, name as never, value));
  };
  const ticked: RowSelectionState = selection.allMatching ? Object.fromEntries(contacts.map((contact) => [contact.id, true])) : selection.ticked;
  const count = selectedCount(selection, matching.data?.total);
  const textingParam = params.get("text");
  const openText = () => setParams(withText(params, textParam(selection)));
  const closeText = () => setParams(withText(params, undefined));

  return (
    <section className="contacts" aria-labelledby="contacts-title">
      <div className="screen-header">
        <h1 id="contacts-title">Contacts</h1>
        <span className="muted" role="status">
          {matching.data ? `${matching.data.total.toLocaleString()} matching` : ""}
        </span>
      </div>
      <div className="toolbar">
        <SearchBox key={filters.q ?? ""} value={filters.q ?? ""} onSearch={(q) => set("q", q)} />
        <FilterPicker onPick={set} />
        <FiltersPanel key={viewQuery} filters={filters} onApply={applyFilters} />
        <ColumnChooser userId={userId} hidden={hidden} onChange={setHidden} />
      </div>
      {me.data && <SavedViews key={userId} userId={userId} query={viewQuery} onOpen={(query) => applyFilters(filtersFrom(new URLSearchParams(query)))} />}
      <SelectionBar selection={selection} filters={filters} matching={matching.data?.total} onClear={() => setSelection(NOTHING)}
        onSelectAll={() => setSelection({ ticked: {}, allMatching: true })} onText={openText} />
      <ul className="chips" aria-label="Active filters">
        {chips.map((chip) => (
          <li key={chip.name} className="chip">
            {chip.label}
            <button type="button" aria-label={`Remove filter ${chip.label}`} onClick={() => set(chip.name, undefined)}>×</button>
          </li>
        ))}
      </ul>
      {pages.isPending ? (
        <div className="grid-state" role="status"><span className="spinner" aria-hidden="true" /> Loading contacts…</div>
      ) : pages.isError ? (
        <LoadFailed className="grid-state" what="The contacts" error={pages.error} onRetry={() => pages.refetch()} />
      ) : contacts.length === 0 ? (
        <div className="grid-state">
          <p>{chips.length ? "No contact matches these filters." : "No contacts yet."}</p>
          {chips.length > 0 && <button type="button" onClick={() => setParams(new URLSearchParams())}>Clear filters</button>}
        </div>
      ) : (
        <ContactGrid contacts={contacts} hidden={hidden} sort={filters.sort} onSort={(sort) => set("sort", sort)} selected={ticked}
          onSelect={(next) => setSelection({ ticked: next, allMatching: false })}
          hasMore={Boolean(pages.hasNextPage)} loadMore={() => !pages.isFetchingNextPage && pages.fetchNextPage()} onOpen={(contact) => navigate(profileHref(contact.id))} />
      )}
      <TextBubble count={count} onOpen={openText} />
      {textingParam && (
        <Suspense fallback={<div className="side-sheet loading" role="status">Opening the text sidebar…</div>}>
          <TextSidebar target={targetFrom(textingParam, selection, filters, matching.data?.total)} onClose={closeText} />
        </Suspense>
      )}
    </section>
  );
}
