import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/problems";

export function useUnreadCount() {
  return useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () => unwrap(api.GET("/api/notifications/unread-count")),
  });
}

export function useNotifications(enabled: boolean) {
  return useQuery({
    queryKey: ["notifications", "list"],
    queryFn: () => unwrap(api.GET("/api/notifications", { params: { query: { limit: 20 } } })),
    enabled,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: ["notifications"] });
  return {
    one: useMutation({
      mutationFn: (notificationId: string) =>
        unwrap(api.POST("/api/notifications/{notification_id}/read", { params: { path: { notification_id: notificationId } } })),
      onSuccess: done,
    }),
    all: useMutation({ mutationFn: () => unwrap(api.POST("/api/notifications/read-all")), onSuccess: done }),
  };
}

export type Notification = NonNullable<ReturnType<typeof useNotifications>["data"]>["items"][number];

/** The client route a notification is about. */
export function subjectOf(link: Record<string, string>, kind = ""): string | null {
  if (link.conversation_id) return `/inbox/${link.conversation_id}`;
  if (link.contact_id) return `/contacts/${link.contact_id}`;
  // A number bought or failing to be bought names its user: it is the Numbers screen's news.
  if (link.number_id || kind.startsWith("number_")) return "/numbers";
  if (link.registration_id) return "/registration";
  if (link.user_id) return "/users";
  return null;
}

/** Opening a conversation reads the notifications about it, so the bell counts only what is still new. */
export async function readNotificationsAbout(conversationId: string): Promise<number> {
  const unread = await unwrap(api.GET("/api/notifications", { params: { query: { unread: true, limit: 100 } } }));
  const about = unread.items.filter((notification) => notification.link.conversation_id === conversationId);
  await Promise.all(
    about.map((notification) =>
      unwrap(api.POST("/api/notifications/{notification_id}/read", { params: { path: { notification_id: notification.notification_id } } })),
    ),
  );
  return about.length;
}
