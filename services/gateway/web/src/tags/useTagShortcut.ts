// Tagging one contact (or one of their phones) through the contacts API; the answer is the
// updated contact, which replaces the cached one so every view of the person moves at once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../api/client";
import { unwrap } from "../api/problems";

export type Contact = Schemas["ContactPublic"];
export type Phone = Schemas["PhonePublic"];

export const DO_NOT_CONTACT = "Do Not Contact";
export const WRONG_NUMBER = "Wrong Number";
export const OPT_IN = "Opt-In";

export const contactKey = (contactId: string) => ["contacts", "one", contactId] as const;

export type TagChange =
  | { action: "add"; tag: string; phoneId?: string; consent?: { method: string; note?: string } }
  | { action: "remove"; tag: string; phoneId?: string };

function send(contactId: string, change: TagChange): Promise<Contact> {
  if (change.action === "add") {
    return unwrap(api.POST("/api/contacts/{contact_id}/tags", {
      params: { path: { contact_id: contactId } },
      body: { tag: change.tag, phone_id: change.phoneId ?? null, consent: change.consent ?? null },
    }));
  }
  return unwrap(api.DELETE("/api/contacts/{contact_id}/tags/{tag}", {
    params: { path: { contact_id: contactId, tag: change.tag }, query: change.phoneId ? { phone_id: change.phoneId } : {} },
  }));
}

export function useTagShortcut(contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: TagChange) => send(contactId, change),
    onSuccess: (contact) => {
      client.setQueryData(contactKey(contactId), contact);
      client.invalidateQueries({ queryKey: ["contacts", "list"] });
      client.invalidateQueries({ queryKey: ["contacts", "count"] });
      client.invalidateQueries({ queryKey: ["tags"] });
    },
  });
}
