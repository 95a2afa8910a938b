import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import { selectionFilter, type Filters } from "./filters";

export const PAGE_SIZE = 100;

/** The contacts matching the filters, one page per request, the next page fetched on demand. */
export function useContactPages(filters: Filters) {
  return useInfiniteQuery({
    queryKey: ["contacts", "list", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/contacts", { params: { query: { ...selectionFilter(filters), sort: filters.sort, limit: PAGE_SIZE, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? null,
    placeholderData: keepPreviousData,
  });
}

/** How many contacts match the filters (for "select all N matching"). */
export function useMatchingCount(filters: Filters) {
  const filter = selectionFilter(filters);
  return useQuery({
    queryKey: ["contacts", "count", filter],
    queryFn: () => unwrap(api.POST("/api/contacts/selection/count", { body: { filter } })),
  });
}

export function useTags() {
  return useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/tags")), staleTime: 60_000 });
}
