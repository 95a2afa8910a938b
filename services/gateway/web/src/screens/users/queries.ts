import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/problems";
export { useTextingSettings } from "../../texting/queries";

export type User = Schemas["UserPublic"];
export type NewUser = Schemas["UserCreate"];
export type UserChange = Schemas["UserUpdate"];
export type TextingSettings = Schemas["TextingSettingsPublic"];
export type TextingSettingsChange = Schemas["TextingSettingsUpdate"];

export function useUsers() {
  return useQuery({ queryKey: ["users"], queryFn: () => unwrap(api.GET("/api/users")) });
}

export function useAddUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (user: NewUser) => unwrap(api.POST("/api/users", { body: user })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["users"] }),
  });
}

export function useChangeUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, change }: { userId: string; change: UserChange }) =>
      unwrap(api.PATCH("/api/users/{user_id}", { params: { path: { user_id: userId } }, body: change })),
    onSettled: () => client.invalidateQueries({ queryKey: ["users"] }),
  });
}

export function useSaveTextingSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: TextingSettingsChange) => unwrap(api.PUT("/api/messages/settings", { body: change })),
    onSuccess: (saved) => client.setQueryData(["texting", "settings"], saved),
  });
}
