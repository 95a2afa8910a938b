// Sending what the composer holds: one text to a contact or a bulk send to a selection,
// now or at a time; the idempotency key makes a double click or a retry send once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../api/client";
import { unwrap } from "../api/problems";

export type Audience = { contactId: string } | { contactIds: string[] } | { filter: Record<string, unknown> };

export type Outcome =
  | { kind: "text"; result: Schemas["SendResultPublic"] }
  | { kind: "bulk"; job: Schemas["BulkSendPublic"] }
  | { kind: "scheduled"; scheduled: Schemas["ScheduledSendPublic"] };

export type Draft = { body: string; mediaIds?: string[]; cannedReplyId?: string; sendAt?: string; idempotencyKey: string; confirmDuplicate?: boolean };

export const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function textOf(contactId: string, draft: Draft): Schemas["MessageCreate"] {
  return {
    contact_id: contactId, body: draft.body, media_ids: draft.mediaIds ?? [], canned_reply_id: draft.cannedReplyId ?? null,
    idempotency_key: draft.idempotencyKey, confirm_duplicate: Boolean(draft.confirmDuplicate),
  };
}

function bulkOf(audience: Audience, draft: Draft): Schemas["BulkSendCreate"] {
  const base = { body: draft.body, media_ids: draft.mediaIds ?? [], idempotency_key: draft.idempotencyKey, confirm_duplicate: Boolean(draft.confirmDuplicate) };
  if ("filter" in audience) return { ...base, selection: { filter: audience.filter } };
  if ("contactIds" in audience) return { ...base, contact_ids: audience.contactIds };
  throw new Error("a bulk send needs a selection");
}

async function send(audience: Audience, draft: Draft): Promise<Outcome> {
  const single = "contactId" in audience;
  if (draft.sendAt) {
    const what = single ? { text: textOf(audience.contactId, draft) } : { bulk_send: bulkOf(audience, draft) };
    const scheduled = await unwrap(api.POST("/api/scheduled-sends", { body: { send_at: draft.sendAt, time_zone: LOCAL_ZONE, ...what } }));
    return { kind: "scheduled", scheduled };
  }
  if (single) return { kind: "text", result: await unwrap(api.POST("/api/messages", { body: textOf(audience.contactId, draft) })) };
  return { kind: "bulk", job: await unwrap(api.POST("/api/bulk-sends", { body: bulkOf(audience, draft) })) };
}

export function useSend(audience: Audience) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: Draft) => send(audience, draft),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["conversations"] });
      client.invalidateQueries({ queryKey: ["texting", "scheduled"] });
      client.invalidateQueries({ queryKey: ["numbers"] });
    },
  });
}
