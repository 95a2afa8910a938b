// The contacts grid: every filter the contacts service supports, sorting, cursor paging,
// the total, a selection (ticked rows or "all matching" as a filter) driving bulk
// tag/untag and bulk text, and export of the current filter.
import { api, download } from "./api.js";
import { attempt, el, fullName, messageBox, when } from "./dom.js";
import { composer } from "./texting.js";

const SYSTEM_TAGS = new Set(["Do Not Contact", "Wrong Number", "Opt-In"]);
const LISTS = ["tags_any", "tags_all", "tags_none"];
const BOOLEANS = [["has_cell", "Has a cell"], ["dnc", "Do Not Contact"], ["opted_in", "Opted in"], ["wrong_number", "Wrong number"]];
const TEXTS = [["q", "Search name, email or 3+ phone digits"], ["tag", "Tag"], ["city", "City"], ["state", "State"], ["zip", "ZIP"]];
const DATES = [["created_from", "Created from"], ["created_to", "Created to"],
  ["last_contacted_from", "Last contacted from"], ["last_contacted_to", "Last contacted to"]];
const SORTS = [["last_name", "Last name"], ["first_name", "First name"], ["-created", "Newest"], ["created", "Oldest"],
  ["-last_contacted", "Recently contacted"], ["last_contacted", "Least recently contacted"]];

const grid = { filter: {}, sort: "last_name", limit: 50, cursors: [null], page: 0, items: [], next: null, total: 0,
  picked: new Set(), allMatching: false };

export function mountContacts(root, { openProfile }) {
  const form = filterForm();
  const box = messageBox();
  const summary = el("div", { class: "summary" });
  const selectionBar = el("div", { class: "selection" });
  const rows = el("tbody");
  const pageAll = el("input", { type: "checkbox", title: "Tick every row of this page" });
  const pager = el("div", { class: "pager" });
  const text = composer({ title: "Text the selection", recipients: () => recipients(), onSent: () => {} });
  const bulk = bulkTagPanel(() => selection(), () => reload());

  async function reload(resetPaging = true) {
    if (resetPaging) { grid.cursors = [null]; grid.page = 0; grid.picked.clear(); grid.allMatching = false; }
    const query = toQuery(grid.filter);
    const page = await attempt(box, async () => {
      const params = new URLSearchParams(query);
      params.set("sort", grid.sort);
      params.set("limit", grid.limit);
      if (grid.cursors[grid.page]) params.set("cursor", grid.cursors[grid.page]);
      const [listed, counted] = await Promise.all([api(`/api/contacts?${params}`), api(`/api/contacts/count?${query}`)]);
      return { ...listed, total: counted.total };
    });
    if (!page) return;
    Object.assign(grid, { items: page.items, next: page.next_cursor, total: page.total });
    draw();
  }

  function draw() {
    rows.replaceChildren(...grid.items.map((contact) => contactRow(contact, openProfile, drawSelection)));
    summary.textContent = `${grid.total} contact(s) match`;
    pager.replaceChildren(
      el("button", { type: "button", disabled: grid.page === 0, onclick: () => { grid.page -= 1; reload(false); } }, "← Previous"),
      el("span", {}, ` Page ${grid.page + 1} of ${Math.max(1, Math.ceil(grid.total / grid.limit))} `),
      el("button", { type: "button", disabled: !grid.next, onclick: () => { grid.cursors[grid.page + 1] = grid.next; grid.page += 1; reload(false); } }, "Next →"));
    pageAll.checked = false;
    drawSelection();
  }

  function drawSelection() {
    const count = recipients().count;
    const parts = [el("b", {}, grid.allMatching ? `All ${grid.total} matching contacts selected` : `${grid.picked.size} selected`)];
    if (!grid.allMatching && grid.total > 0) {
      parts.push(el("button", { type: "button", onclick: () => { grid.allMatching = true; syncBoxes(); drawSelection(); } },
        `Select all ${grid.total} matching`));
    }
    if (grid.allMatching || grid.picked.size) {
      parts.push(el("button", { type: "button", onclick: () => { grid.allMatching = false; grid.picked.clear(); syncBoxes(); drawSelection(); } }, "Clear selection"));
    }
    selectionBar.replaceChildren(...parts);
    text.setTitle(`Text ${count} selected contact(s)`);
  }

  function syncBoxes() {
    rows.querySelectorAll("input[type=checkbox]").forEach((box) => {
      box.checked = grid.allMatching || grid.picked.has(box.dataset.id);
      box.disabled = grid.allMatching;
    });
  }

  pageAll.onchange = () => {
    for (const contact of grid.items) pageAll.checked ? grid.picked.add(contact.id) : grid.picked.delete(contact.id);
    syncBoxes();
    drawSelection();
  };
  form.onsubmit = (event) => {
    event.preventDefault();
    Object.assign(grid, readForm(form));
    reload();
  };
  form.onreset = () => setTimeout(() => form.requestSubmit(), 0);

  const exportButton = el("button", { type: "button", onclick: () => attempt(box, () => download(`/api/contacts/export.csv?${toQuery(grid.filter)}`, "contacts.csv")) }, "Export CSV");
  const table = el("table", { id: "contacts-table" },
    el("thead", {}, el("tr", {}, el("th", {}, pageAll), el("th", {}, "Name"), el("th", {}, "Phones"), el("th", {}, "Tags"),
      el("th", {}, "City / State / ZIP"), el("th", {}, "Last contacted"))),
    rows);
  root.replaceChildren(
    el("div", { class: "grid-main" }, form, el("div", { class: "row" }, summary, exportButton), selectionBar, box, table, pager),
    el("div", { class: "grid-side" }, bulk, text.element));
  return { reload };
}

function recipients() {
  if (grid.allMatching) return { count: grid.total, filter: selectionFilter(grid.filter) };
  return { count: grid.picked.size, contactIds: [...grid.picked] };
}

function selection() {
  return grid.allMatching ? { filter: selectionFilter(grid.filter) } : { contact_ids: [...grid.picked] };
}

function contactRow(contact, openProfile, onPick) {
  const pick = el("input", { type: "checkbox", "data-id": contact.id, checked: grid.allMatching || grid.picked.has(contact.id), disabled: grid.allMatching });
  pick.onchange = () => { pick.checked ? grid.picked.add(contact.id) : grid.picked.delete(contact.id); onPick(); };
  const phones = contact.phones.map((phone) => el("div", {}, phone.e164, " ", el("span", { class: "phone-type" },
    [phone.type, phone.primary ? "primary" : "", phone.status !== "active" ? phone.status : "", phone.wrong_number ? "wrong number" : "",
      phone.opted_in ? "opted in" : "", phone.opted_out ? "opted out" : ""].filter(Boolean).join(" · "))));
  const tags = contact.tags.map((tag) => el("span", { class: SYSTEM_TAGS.has(tag) ? "tag system" : "tag" }, tag));
  const place = [contact.address?.city, contact.address?.state, contact.address?.zip].filter(Boolean).join(", ");
  return el("tr", {},
    el("td", {}, pick),
    el("td", {}, el("a", { href: `#contact/${contact.id}`, onclick: (event) => { event.preventDefault(); openProfile(contact.id); } }, fullName(contact))),
    el("td", {}, phones), el("td", {}, tags), el("td", {}, place), el("td", {}, when(contact.last_contacted_at)));
}

function bulkTagPanel(selectionOf, afterwards) {
  const tag = el("input", { placeholder: "Tag name", list: "known-tags" });
  const box = messageBox();
  async function apply(untag) {
    const target = selectionOf();
    if (target.contact_ids && !target.contact_ids.length) return box.fail(new Error("select contacts first"));
    const done = await attempt(box, () => api(`/api/contacts/bulk/${untag ? "untag" : "tag"}`, { method: "POST", json: { tag: tag.value, ...target } }));
    if (!done) return;
    box.ok(`${untag ? "Untagged" : "Tagged"}: ${done.matched} matched, ${done.changed} changed${done.not_found.length ? `, ${done.not_found.length} not found` : ""}`);
    afterwards();
  }
  return el("div", { class: "bulk-tags" }, el("h3", {}, "Tag the selection"), tag,
    el("div", { class: "row" }, el("button", { type: "button", onclick: () => apply(false) }, "Tag"),
      el("button", { type: "button", onclick: () => apply(true) }, "Untag")), box);
}

function filterForm() {
  const field = (name, label, input) => el("label", {}, label, input || el("input", { name }));
  const triState = (name) => el("select", { name }, el("option", { value: "" }, "any"), el("option", { value: "true" }, "yes"), el("option", { value: "false" }, "no"));
  return el("form", { id: "filter" },
    el("div", { class: "filters" },
      ...TEXTS.map(([name, label]) => field(name, label, el("input", { name, placeholder: name === "q" ? label : "", list: name === "tag" ? "known-tags" : null }))),
      field("tags_any", "Any of tags", el("input", { name: "tags_any", placeholder: "a, b" })),
      field("tags_all", "All of tags", el("input", { name: "tags_all", placeholder: "a, b" })),
      field("tags_none", "None of tags", el("input", { name: "tags_none", placeholder: "a, b" })),
      ...BOOLEANS.map(([name, label]) => field(name, label, triState(name))),
      ...DATES.map(([name, label]) => field(name, label, el("input", { name, type: "date" }))),
      field("owner", "Owner", el("select", { name: "owner", id: "owner-filter" }, el("option", { value: "" }, "anyone"))),
      field("sort", "Sort", el("select", { name: "sort" }, SORTS.map(([value, label]) => el("option", { value }, label)))),
      field("limit", "Per page", el("select", { name: "limit" }, [25, 50, 100, 200].map((n) => el("option", { value: n, selected: n === 50 }, n))))),
    el("div", { class: "row" }, el("button", { class: "primary" }, "Filter"), el("button", { type: "reset" }, "Clear")));
}

function readForm(form) {
  const filter = {};
  for (const [name, raw] of new FormData(form)) {
    const value = raw.trim();
    if (!value || name === "sort" || name === "limit") continue;
    if (LISTS.includes(name)) filter[name] = value.split(",").map((tag) => tag.trim()).filter(Boolean);
    else if (BOOLEANS.some(([key]) => key === name)) filter[name] = value === "true";
    else if (name.endsWith("_from")) filter[name] = `${value}T00:00:00`;
    else if (name.endsWith("_to")) filter[name] = `${value}T23:59:59`;
    else filter[name] = value;
  }
  return { filter, sort: form.elements.sort.value, limit: Number(form.elements.limit.value) };
}

// The grid's query string: a list parameter repeats once per value.
function toQuery(filter) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  return params.toString();
}

// The selection contract: the same keys as the list's query parameters, as one object.
function selectionFilter(filter) {
  return structuredClone(filter);
}

export async function loadOwners(select) {
  const users = await api("/api/users").catch(() => []);
  select.append(...users.map((user) => el("option", { value: user.id }, user.name)));
}

export async function loadTagSuggestions(list) {
  const tags = await api("/api/tags").catch(() => []);
  list.replaceChildren(...tags.map((tag) => el("option", { value: tag.name })));
}
