import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/problems";

export function useMe() {
  return useQuery({ queryKey: ["me"], queryFn: () => unwrap(api.GET("/api/me")), staleTime: 60_000 });
}

export type Me = NonNullable<ReturnType<typeof useMe>["data"]>;

/** Whether the signed-in user's role may call a public route, e.g. can(me, "GET /api/users"). */
export function can(me: Me | undefined, route: string): boolean {
  return Boolean(me?.permissions.includes(route));
}
