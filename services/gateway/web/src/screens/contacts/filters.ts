// The grid's filters live in the URL (shareable, back button works) and map onto the query
// parameters of GET /api/contacts (and the `filter` of the selection routes).

export const SORTS = ["last_name", "first_name", "created", "-created", "last_contacted", "-last_contacted"] as const;
export type Sort = (typeof SORTS)[number];

const FLAGS = ["dnc", "has_cell", "wrong_number", "opted_in"] as const;
export type Flag = (typeof FLAGS)[number];
const TEXTS = ["q", "tag", "city", "state", "zip", "owner"] as const;
type Text = (typeof TEXTS)[number];
export const TAG_LISTS = ["tags_any", "tags_all", "tags_none"] as const;
export type TagList = (typeof TAG_LISTS)[number];
export const DAYS = ["created_from", "created_to", "last_contacted_from", "last_contacted_to"] as const;
export type Day = (typeof DAYS)[number];

export type Filters = { sort: Sort } & Partial<Record<Text | Day, string>> & Partial<Record<Flag, boolean>> & Partial<Record<TagList, string[]>>;
export type FilterName = Exclude<keyof Filters, "sort">;

export const FLAG_WORDS: Record<Flag, [string, string]> = {
  dnc: ["Do not contact", "Not DNC"],
  has_cell: ["Has a cell", "No cell"],
  wrong_number: ["Wrong number", "No wrong number"],
  opted_in: ["Opted in", "Not opted in"],
};
export const TAG_LIST_WORDS: Record<TagList, string> = { tags_any: "Any of the tags", tags_all: "All of the tags", tags_none: "None of the tags" };
export const DAY_WORDS: Record<Day, string> = {
  created_from: "Added from", created_to: "Added until", last_contacted_from: "Last contacted from", last_contacted_to: "Last contacted until",
};
const TEXT_WORDS: Record<Text, string> = { q: "Search", tag: "Tag", city: "City", state: "State", zip: "ZIP", owner: "Owner" };
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFrom(params: URLSearchParams): Filters {
  const sort = params.get("sort") as Sort | null;
  const filters: Filters = { sort: sort && SORTS.includes(sort) ? sort : "last_name" };
  for (const name of TEXTS) if (params.get(name)) filters[name] = params.get(name)!;
  for (const name of DAYS) if (DAY_PATTERN.test(params.get(name) ?? "")) filters[name] = params.get(name)!;
  for (const name of TAG_LISTS) if (params.getAll(name).length) filters[name] = params.getAll(name);
  for (const flag of FLAGS) {
    const value = params.get(flag);
    if (value === "true" || value === "false") filters[flag] = value === "true";
  }
  return filters;
}

export function withFilter(params: URLSearchParams, name: FilterName | "sort", value: string | string[] | boolean | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete(name);
  if (Array.isArray(value)) value.forEach((item) => next.append(name, item));
  else if (value !== undefined && value !== "") next.set(name, String(value));
  return next;
}

/** The URL of these filters (what a saved view keeps). */
export function paramsOf(filters: Filters): URLSearchParams {
  let params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) params = withFilter(params, name as FilterName, value as never);
  return params;
}

/** The filters that narrow the list (not the sort), as chips. */
export function activeChips(filters: Filters, ownerName: (id: string) => string = (id) => id): { name: FilterName; label: string }[] {
  const chips: { name: FilterName; label: string }[] = [];
  for (const name of TEXTS) {
    const value = filters[name];
    if (value) chips.push({ name, label: `${TEXT_WORDS[name]}: ${name === "owner" ? ownerName(value) : value}` });
  }
  for (const name of TAG_LISTS) if (filters[name]?.length) chips.push({ name, label: `${TAG_LIST_WORDS[name]}: ${filters[name]!.join(", ")}` });
  for (const name of DAYS) if (filters[name]) chips.push({ name, label: `${DAY_WORDS[name]} ${filters[name]}` });
  for (const flag of FLAGS) {
    if (filters[flag] !== undefined) chips.push({ name: flag, label: FLAG_WORDS[flag][filters[flag] ? 0 : 1] });
  }
  return chips;
}

/** A day picked in the browser's own time zone, as the instant the API compares with. */
function instantOf(day: string, edge: "start" | "end"): string {
  return new Date(`${day}T${edge === "start" ? "00:00:00" : "23:59:59.999"}`).toISOString();
}

/** The selection body of POST /api/contacts/selection/* and the bulk routes, and the list's query. */
export function selectionFilter(filters: Filters): Record<string, string | boolean | string[]> {
  const { sort: _sort, ...narrowing } = filters;
  const filter: Record<string, string | boolean | string[]> = {};
  for (const [name, value] of Object.entries(narrowing)) {
    if (value === undefined) continue;
    filter[name] = (DAYS as readonly string[]).includes(name) ? instantOf(value as string, name.endsWith("_to") ? "end" : "start") : value;
  }
  return filter;
}
