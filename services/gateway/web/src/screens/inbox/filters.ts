// Which conversations the inbox shows lives in the URL (?show=…), so a link or the back button
// brings the same list back. Each view maps onto GET /api/conversations' own parameters, except
// "unread", which the API does not filter: it keeps the loaded threads that have unread replies.

export const VIEWS = ["all", "mine", "unassigned", "unread", "unknown"] as const;
export type InboxView = (typeof VIEWS)[number];

export const VIEW_WORDS: Record<InboxView, { label: string; empty: string }> = {
  all: { label: "All", empty: "No conversations yet. Replies to your texts show up here." },
  mine: { label: "Mine", empty: "No conversation is assigned to you." },
  unassigned: { label: "Unassigned", empty: "Every conversation has someone on it." },
  unread: { label: "Unread", empty: "You are all caught up: no unread replies." },
  unknown: { label: "Unknown senders", empty: "No texts from numbers that match no contact." },
};

export function viewFrom(params: URLSearchParams): InboxView {
  const show = params.get("show") as InboxView | null;
  return show && VIEWS.includes(show) ? show : "all";
}

export function withView(params: URLSearchParams, view: InboxView): URLSearchParams {
  const next = new URLSearchParams(params);
  if (view === "all") next.delete("show");
  else next.set("show", view);
  return next;
}

export type ConversationQuery = { inbox: "all" | "unknown"; assignment: "all" | "mine" | "unassigned" };

/** The query parameters of GET /api/conversations for a view. */
export function apiQuery(view: InboxView): ConversationQuery {
  return {
    inbox: view === "unknown" ? "unknown" : "all",
    assignment: view === "mine" || view === "unassigned" ? view : "all",
  };
}

/** Whether a listed conversation belongs in the view (the API has already narrowed the rest). */
export function shows(view: InboxView, conversation: { unread_count: number }): boolean {
  return view !== "unread" || conversation.unread_count > 0;
}
