// The profile's server state: the contact, the account's users (to name who did what),
// the reply texts its timeline quotes, and the click-to-call.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/problems";
import { contactKey, type Contact } from "../../tags/useTagShortcut";

export function useContact(contactId: string) {
  return useQuery({
    queryKey: contactKey(contactId),
    queryFn: () => unwrap(api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: contactId } } })),
    // The timeline fills in from texts, replies and calls as they happen.
    refetchInterval: 15_000,
  });
}

export type User = Schemas["UserPublic"];

export function useUsers() {
  return useQuery({ queryKey: ["users"], queryFn: () => unwrap(api.GET("/api/users")), staleTime: 5 * 60_000 });
}

export function useMessage(messageId: string | undefined) {
  return useQuery({
    queryKey: ["messages", messageId],
    queryFn: () => unwrap(api.GET("/api/messages/{message_id}", { params: { path: { message_id: messageId! } } })),
    enabled: Boolean(messageId),
    staleTime: Infinity,
  });
}

export function useCall() {
  return useMutation({
    mutationFn: (target: { contactId: string; phoneId: string }) =>
      unwrap(api.POST("/api/calls", { body: { contact_id: target.contactId, phone_id: target.phoneId } })),
  });
}

/** PATCH the contact, refused (409) if someone changed it since it was shown. */
export function useEditContact(contact: Contact) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fields: Schemas["ContactUpdate"]) =>
      unwrap(api.PATCH("/api/contacts/{contact_id}", {
        params: { path: { contact_id: contact.id } },
        body: { ...fields, expected_revision: contact.revision },
      })),
    onSuccess: (updated) => {
      client.setQueryData(contactKey(contact.id), updated);
      client.invalidateQueries({ queryKey: ["contacts", "list"] });
    },
    onError: () => client.invalidateQueries({ queryKey: contactKey(contact.id) }),
  });
}

export function useAccountTags() {
  return useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/tags")), staleTime: 60_000 });
}
