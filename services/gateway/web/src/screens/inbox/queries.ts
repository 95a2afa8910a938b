import { useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
export { useConversation } from "../../texting/queries";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/problems";
import { can, type Me } from "../../session/me";
import { apiQuery, type InboxView } from "./filters";

export type Conversation = Schemas["ConversationPublic"];
export const PAGE = 50;

/** The view's threads, latest activity first, a page at a time (older pages by `before`). */
export function useConversations(view: InboxView) {
  const query = apiQuery(view);
  return useInfiniteQuery({
    queryKey: ["conversations", "list", query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/conversations", { params: { query: { ...query, limit: PAGE, before: pageParam } } })),
    getNextPageParam: (page) =>
      page.conversations.length < PAGE ? undefined : (page.conversations.at(-1)?.last_activity_at ?? undefined),
  });
}

/** The named contacts of the listed threads, fetched once each and kept for a few minutes. */
export function useContactNames(contactIds: (string | null | undefined)[]): Map<string, string> {
  const ids = [...new Set(contactIds.filter((id): id is string => Boolean(id)))];
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["contacts", "one", id],
      queryFn: () => unwrap(api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: id } } })),
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  results.forEach((result, index) => {
    const name = result.data ? `${result.data.first_name} ${result.data.last_name}`.trim() : "";
    if (name) names.set(ids[index], name);
  });
  return names;
}

/** The account's users by id, for "Assigned to Dana"; empty when the role may not list them. */
export function useUserNames(me: Me) {
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => unwrap(api.GET("/api/users")),
    enabled: can(me, "GET /api/users"),
    staleTime: 60_000,
  });
  return { users: users.data ?? [], names: new Map((users.data ?? []).map((user) => [user.id, user.name])) };
}

function useConversationChange<T>(change: (conversationId: string, value: T) => Promise<Conversation>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ conversationId, value }: { conversationId: string; value: T }) => change(conversationId, value),
    onSuccess: (conversation) => {
      client.setQueryData(["conversations", "one", conversation.conversation_id], conversation);
      client.invalidateQueries({ queryKey: ["conversations", "list"] });
    },
  });
}

export function useMarkConversationRead() {
  const client = useQueryClient();
  const mutation = useConversationChange<null>((conversationId) =>
    unwrap(api.POST("/api/conversations/{conversation_id}/read", { params: { path: { conversation_id: conversationId } } })),
  );
  return {
    ...mutation,
    // Reading a thread reads its reply notifications too: the bell's count follows.
    mutate: (conversationId: string) =>
      mutation.mutate({ conversationId, value: null }, { onSuccess: () => client.invalidateQueries({ queryKey: ["notifications"] }) }),
  };
}

export function useClaim() {
  return useConversationChange<null>((conversationId) =>
    unwrap(api.POST("/api/conversations/{conversation_id}/claim", { params: { path: { conversation_id: conversationId } } })),
  );
}

export function useAssign() {
  return useConversationChange<string | null>((conversationId, userId) =>
    unwrap(api.POST("/api/conversations/{conversation_id}/assign", {
      params: { path: { conversation_id: conversationId } },
      body: { user_id: userId },
    })),
  );
}
