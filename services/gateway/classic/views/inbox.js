// Conversations: threads sorted by latest activity with unread counts, the "unknown
// senders" inbox (numbers matching no contact), a thread's messages and a reply box.
import { api, download } from "./api.js";
import { attempt, el, messageBox, when } from "./dom.js";

const PAGE = 50;

export function mountInbox(root, { openProfile, onRead }) {
  const box = messageBox();
  const list = el("ul", { class: "conversations" });
  const thread = el("div", { class: "thread" });
  const more = el("button", { type: "button", hidden: true }, "Older conversations");
  let inbox = "all";
  let oldest = null;

  const tabs = el("div", { class: "tabs" },
    ...[["all", "All conversations"], ["unknown", "Unknown senders"]].map(([value, label]) =>
      el("button", { type: "button", "data-inbox": value, onclick: () => { inbox = value; reload(); } }, label)));

  let latestLoad = 0;
  async function reload(append = false) {
    const load = ++latestLoad;
    if (!append) oldest = null;
    tabs.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b.dataset.inbox === inbox));
    const params = new URLSearchParams({ limit: PAGE, inbox });
    if (oldest) params.set("before", oldest);
    const listing = await attempt(box, () => api(`/api/conversations?${params}`));
    if (!listing || load !== latestLoad) return;
    const items = listing.conversations.map((conversation) => conversationItem(conversation, () => openThread(conversation)));
    if (append) list.append(...items);
    else list.replaceChildren(...(items.length ? items : [el("li", { class: "empty" }, inbox === "unknown" ? "No texts from unknown numbers" : "No conversations yet")]));
    oldest = listing.conversations.at(-1)?.last_activity_at || oldest;
    more.hidden = listing.conversations.length < PAGE;
  }
  more.onclick = () => reload(true);

  async function openThread(conversation) {
    const messages = await attempt(box, () => api(`/api/conversations/${conversation.conversation_id}/messages`));
    if (!messages) return;
    thread.replaceChildren(threadView(conversation, messages.messages, openProfile, () => openThread(conversation)));
    await attempt(box, () => api(`/api/conversations/${conversation.conversation_id}/read`, { method: "POST" }));
    onRead();
    reload();
  }

  root.replaceChildren(el("div", { class: "inbox-list" }, tabs, box, list, more), thread);
  return { reload };
}

function conversationItem(conversation, open) {
  const unread = conversation.unread_count ? el("span", { class: "badge" }, String(conversation.unread_count)) : "";
  return el("li", { class: conversation.unread_count ? "unread" : "", onclick: open },
    el("div", { class: "row" }, el("b", {}, conversation.their_number), unread,
      el("span", { class: "when" }, when(conversation.last_activity_at))),
    el("div", { class: "snippet" }, conversation.contact_id ? "" : "Unknown sender · ",
      conversation.last_message ? `${conversation.last_message.direction === "inbound" ? "←" : "→"} ${conversation.last_message.body}` : ""));
}

function threadView(conversation, messages, openProfile, refresh) {
  const header = el("div", { class: "row" }, el("h3", {}, conversation.their_number),
    conversation.contact_id
      ? el("button", { type: "button", onclick: () => openProfile(conversation.contact_id) }, "Open profile")
      : el("span", { class: "warning" }, "This number matches no contact"));
  const bubbles = messages.map((message) => el("div", { class: `bubble ${message.direction}` },
    el("div", {}, message.body),
    ...(message.media || []).map((item) => el("button", { type: "button", class: "media-link", onclick: () => download(item.url, `image-${item.media_id}`) },
      `${item.content_type} · ${Math.ceil(item.size / 1024)} KB`)),
    el("div", { class: "meta" }, `${when(message.created_at)} · ${message.status}`,
      message.skip_reason ? ` (${message.skip_reason})` : "", message.failure_reason ? ` (${message.failure_reason})` : "",
      message.hold_reason ? ` (held: ${message.hold_reason} until ${when(message.release_at)})` : "")));
  return el("div", {}, header, el("div", { class: "bubbles" }, bubbles), conversation.contact_id ? replyBox(conversation.contact_id, refresh) : "");
}

function replyBox(contactId, refresh) {
  const body = el("textarea", { rows: 2, placeholder: "Reply" });
  const box = messageBox();
  async function sendReply(event) {
    event.preventDefault();
    const sent = await attempt(box, () => api("/api/messages", { method: "POST", json: { contact_id: contactId, body: body.value, idempotency_key: crypto.randomUUID() } }));
    if (!sent) return;
    body.value = "";
    for (const skipped of sent.skipped) box.ok(`phone ${skipped.phone_id} skipped: ${skipped.reason}`);
    setTimeout(refresh, 1000);
  }
  return el("form", { class: "reply", onsubmit: sendReply }, body, el("button", { class: "primary" }, "Send"), box);
}
