import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import { isBeingBought } from "./words";

// A number being bought changes within seconds; the notifications stream also refreshes ["numbers"].
const BUYING_REFRESH_MS = 5000;

export function useAccountNumbers(enabled: boolean) {
  return useQuery({
    queryKey: ["numbers", "all"],
    queryFn: () => unwrap(api.GET("/api/numbers")),
    enabled,
    refetchInterval: (query) => (query.state.data?.items.some(isBeingBought) ? BUYING_REFRESH_MS : false),
  });
}

export function useNumberLimits(enabled: boolean) {
  return useQuery({ queryKey: ["numbers", "limits"], queryFn: () => unwrap(api.GET("/api/numbers/limits")), enabled });
}

export function useNumberSettings(enabled: boolean) {
  return useQuery({ queryKey: ["numbers", "settings"], queryFn: () => unwrap(api.GET("/api/numbers/settings")), enabled });
}

export type DeactivationPolicy = "release" | "reassign";

export function useSaveNumberSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (policy: DeactivationPolicy) => unwrap(api.PUT("/api/numbers/settings", { body: { on_deactivation: policy } })),
    onSuccess: (saved) => client.setQueryData(["numbers", "settings"], saved),
  });
}

/** Starts buying the user's number now rather than at their first text (asking again changes nothing). */
export function useRequestMyNumber() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/numbers/mine")),
    onSuccess: (line) => {
      client.setQueryData(["numbers", "mine"], line);
      client.invalidateQueries({ queryKey: ["numbers", "all"] });
    },
  });
}
