// Server state of texting. Every key starts with "conversations" or "texting" so that a pushed
// notification (LiveNotifications invalidates ["conversations"]) refetches the chains on screen.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../api/client";
import { unwrap } from "../api/problems";
import { can, useMe } from "../session/me";
import { FINAL_STATUSES } from "./words";

export type Message = Schemas["MessagePublic"] & { media?: Media[] };
export type Media = { media_id: string; content_type: string; size: number; url: string };
export type ReviewItem = Schemas["ReviewItemPublic"];
export type CannedReply = Schemas["CannedReplyPublic"];
export type Preview = Schemas["PreviewPublic"];

// Delivery ticks are not pushed: while a text is on its way its chain is read again this often.
const IN_FLIGHT_REFETCH_MS = 3000;

export function useContact(contactId: string | undefined) {
  return useQuery({
    queryKey: ["contacts", "one", contactId],
    queryFn: () => unwrap(api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: contactId! } } })),
    enabled: Boolean(contactId),
  });
}

/** The contact's threads (one per phone texted). */
export function useContactConversations(contactId: string | undefined) {
  return useQuery({
    queryKey: ["conversations", "of-contact", contactId],
    queryFn: () => unwrap(api.GET("/api/conversations", { params: { query: { contact_id: contactId!, limit: 20 } } })),
    enabled: Boolean(contactId),
  });
}

export function useConversation(conversationId: string | undefined) {
  return useQuery({
    queryKey: ["conversations", "one", conversationId],
    queryFn: () => unwrap(api.GET("/api/conversations/{conversation_id}", { params: { path: { conversation_id: conversationId! } } })),
    enabled: Boolean(conversationId),
  });
}

function inFlight(messages: Message[] | undefined): boolean {
  return Boolean(messages?.some((message) => message.direction === "outbound" && !FINAL_STATUSES.has(message.status)));
}

/** The messages of some threads, oldest first, kept current: replies through the pushed
 * notifications, delivery ticks by reading again while any text is still on its way. */
export function useLiveMessages(conversationIds: string[]) {
  return useQuery({
    queryKey: ["conversations", "messages", conversationIds],
    queryFn: async () => {
      const threads = await Promise.all(
        conversationIds.map((id) =>
          unwrap(api.GET("/api/conversations/{conversation_id}/messages", { params: { path: { conversation_id: id }, query: { limit: 500 } } })),
        ),
      );
      const messages = threads.flatMap((thread) => thread.messages as Message[]);
      return messages.sort((a, b) => a.created_at.localeCompare(b.created_at));
    },
    enabled: conversationIds.length > 0,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (inFlight(query.state.data) ? IN_FLIGHT_REFETCH_MS : false),
  });
}

export function useReviewItems(conversationIds: string[]) {
  return useQuery({
    queryKey: ["conversations", "review-items", conversationIds],
    queryFn: async () => {
      const lists = await Promise.all(
        conversationIds.map((id) => unwrap(api.GET("/api/conversations/{conversation_id}/review-items", { params: { path: { conversation_id: id } } }))),
      );
      return lists.flatMap((list) => list.review_items).filter((item) => item.status === "open");
    },
    enabled: conversationIds.length > 0,
  });
}

export function useDecideReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ item, decision }: { item: ReviewItem; decision: Schemas["ReviewDecisionCreate"]["decision"] }) =>
      unwrap(
        api.POST("/api/conversations/{conversation_id}/review-items/{review_item_id}", {
          params: { path: { conversation_id: item.conversation_id, review_item_id: item.review_item_id } },
          body: { decision },
        }),
      ),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["conversations"] });
      client.invalidateQueries({ queryKey: ["contacts"] });
    },
  });
}

/** Who sent what: the account's users by id when the caller may list them. */
export function useUserNames() {
  const me = useMe().data;
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => unwrap(api.GET("/api/users")),
    enabled: can(me, "GET /api/users"),
    staleTime: 5 * 60_000,
  });
  return (userId: string | null | undefined): string => {
    if (!userId) return "Automatic reply";
    if (userId === me?.id) return "You";
    return users.data?.find((user) => user.id === userId)?.name ?? "A teammate";
  };
}

export function useCannedReplies() {
  const me = useMe().data;
  return useQuery({
    queryKey: ["texting", "canned-replies"],
    queryFn: () => unwrap(api.GET("/api/canned-replies")),
    enabled: can(me, "GET /api/canned-replies"),
    staleTime: 60_000,
  });
}

export function useTextingSettings() {
  return useQuery({ queryKey: ["texting", "settings"], queryFn: () => unwrap(api.GET("/api/messages/settings")), staleTime: 5 * 60_000 });
}

/** Encoding, characters and segments of the text as typed (asked again as it changes). */
export function usePreview(body: string, contactId: string | undefined, recipients: number, mediaIds: string[] = []) {
  return useQuery({
    queryKey: ["texting", "preview", body, contactId, recipients, mediaIds],
    queryFn: () => unwrap(api.POST("/api/messages/preview", { body: { body, contact_id: contactId ?? null, recipients, media_ids: mediaIds } })),
    enabled: body.trim().length > 0 || mediaIds.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

export function useScheduledSends(contactId: string | undefined) {
  const me = useMe().data;
  return useQuery({
    queryKey: ["texting", "scheduled", contactId],
    queryFn: async () => {
      const listed = await unwrap(api.GET("/api/scheduled-sends", { params: { query: { status: "scheduled", limit: 200 } } }));
      return listed.scheduled_sends.filter((item) => !contactId || item.contact_id === contactId);
    },
    enabled: can(me, "GET /api/scheduled-sends"),
  });
}

export function useCancelScheduled() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/scheduled-sends/{scheduled_send_id}/cancel", { params: { path: { scheduled_send_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["texting", "scheduled"] }),
  });
}
