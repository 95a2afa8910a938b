// The grid's filters live in the URL (shareable, back button works) and map 1:1 onto the
// query parameters of GET /api/contacts.

export const SORTS = ["last_name", "first_name", "created", "-created", "last_contacted", "-last_contacted"] as const;
export type Sort = (typeof SORTS)[number];

export type Filters = {
  q?: string;
  tag?: string;
  dnc?: boolean;
  has_cell?: boolean;
  wrong_number?: boolean;
  opted_in?: boolean;
  sort: Sort;
};

const FLAGS = ["dnc", "has_cell", "wrong_number", "opted_in"] as const;
export type Flag = (typeof FLAGS)[number];
export const FLAG_WORDS: Record<Flag, [string, string]> = {
  dnc: ["Do not contact", "Not DNC"],
  has_cell: ["Has a cell", "No cell"],
  wrong_number: ["Wrong number", "No wrong number"],
  opted_in: ["Opted in", "Not opted in"],
};

export function filtersFrom(params: URLSearchParams): Filters {
  const sort = params.get("sort") as Sort | null;
  const filters: Filters = { sort: sort && SORTS.includes(sort) ? sort : "last_name" };
  if (params.get("q")) filters.q = params.get("q")!;
  if (params.get("tag")) filters.tag = params.get("tag")!;
  for (const flag of FLAGS) {
    const value = params.get(flag);
    if (value === "true" || value === "false") filters[flag] = value === "true";
  }
  return filters;
}

export function withFilter(params: URLSearchParams, name: keyof Filters, value: string | boolean | undefined): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === undefined || value === "") next.delete(name);
  else next.set(name, String(value));
  return next;
}

/** The filters that narrow the list (not the sort), as chips. */
export function activeChips(filters: Filters): { name: keyof Filters; label: string }[] {
  const chips: { name: keyof Filters; label: string }[] = [];
  if (filters.q) chips.push({ name: "q", label: `Search: ${filters.q}` });
  if (filters.tag) chips.push({ name: "tag", label: `Tag: ${filters.tag}` });
  for (const flag of FLAGS) {
    if (filters[flag] !== undefined) chips.push({ name: flag, label: FLAG_WORDS[flag][filters[flag] ? 0 : 1] });
  }
  return chips;
}

/** The selection body of POST /api/contacts/selection/* and the bulk routes: the same filters. */
export function selectionFilter(filters: Filters): Record<string, string | boolean> {
  const { sort: _sort, ...narrowing } = filters;
  return narrowing as Record<string, string | boolean>;
}
