// The contacts grid, the texting sidebar, conversations and live notifications,
// all through the gateway's public API.
const state = { token: sessionStorage.getItem("token"), contacts: [], selected: new Set() };
const $ = (id) => document.getElementById(id);
const SYSTEM_TAGS = new Set(["Do Not Contact", "Wrong Number", "Opt-In"]);

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${state.token}`, ...(options.headers || {}) },
  });
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(body?.detail ? JSON.stringify(body.detail) : response.statusText);
  return body;
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const session = await api("/api/auth/login", { method: "POST", body: JSON.stringify(Object.fromEntries(form)) });
    state.token = session.access_token;
    sessionStorage.setItem("token", state.token);
    await start();
  } catch (error) {
    $("login-error").textContent = "Wrong email or password";
  }
}

async function start() {
  const me = await api("/api/me");
  $("who").textContent = `${me.name} (${me.role})`;
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("bell").hidden = $("sign-out").hidden = false;
  await Promise.all([loadContacts(), loadConversations(), loadNotifications(), loadNumber()]);
  listenForNotifications();
}

async function loadNumber() {
  try {
    const mine = await api("/api/numbers/mine");
    $("number").textContent = mine.phone_number ? `Texting from ${mine.phone_number}` : "Your number is on its way";
  } catch {
    $("number").textContent = "You get your own number with your first text";
  }
}

async function loadContacts(event) {
  if (event) event.preventDefault();
  const filter = Object.fromEntries([...new FormData($("filter"))].filter(([, value]) => value));
  const page = await api(`/api/contacts?${new URLSearchParams({ limit: 100, ...filter })}`);
  state.contacts = page.items;
  state.selected.clear();
  renderContacts();
}

function renderContacts() {
  const rows = $("contacts");
  rows.replaceChildren();
  for (const contact of state.contacts) {
    const row = document.createElement("tr");
    const pick = document.createElement("input");
    pick.type = "checkbox";
    pick.onchange = () => { pick.checked ? state.selected.add(contact.id) : state.selected.delete(contact.id); renderSelection(); };
    const cell = document.createElement("td");
    cell.append(pick);
    const phones = document.createElement("td");
    for (const phone of contact.phones) {
      phones.append(text("div", phone.e164), text("span", phone.type, "phone-type"));
    }
    const tags = document.createElement("td");
    for (const tag of contact.tags) tags.append(text("span", tag, SYSTEM_TAGS.has(tag) ? "tag system" : "tag"));
    row.append(cell, text("td", `${contact.first_name} ${contact.last_name}`), phones, tags);
    rows.append(row);
  }
  renderSelection();
}

function renderSelection() {
  $("selected-count").textContent = state.selected.size;
}

async function sendToSelection() {
  const body = $("body").value;
  const results = $("send-results");
  results.replaceChildren();
  for (const contactId of state.selected) {
    const contact = state.contacts.find((candidate) => candidate.id === contactId);
    const name = `${contact.first_name} ${contact.last_name}`;
    try {
      const sent = await api("/api/messages", { method: "POST", body: JSON.stringify({ contact_id: contactId, body }) });
      results.append(text("li", `${name}: ${sent.messages.length} queued`));
    } catch (error) {
      results.append(text("li", `${name}: not sent, ${error.message}`, "error"));
    }
  }
  setTimeout(loadConversations, 1500);
  setTimeout(loadNumber, 1500);
}

async function loadConversations() {
  const listing = await api("/api/conversations");
  const list = $("conversations");
  list.replaceChildren();
  for (const conversation of listing.conversations) {
    const item = text("li", `${conversation.their_number}: ${conversation.last_message?.body ?? ""}`);
    item.onclick = () => showThread(conversation.conversation_id);
    list.append(item);
  }
}

async function showThread(conversationId) {
  const thread = await api(`/api/conversations/${conversationId}/messages`);
  const view = $("thread");
  view.replaceChildren();
  for (const message of thread.messages) {
    view.append(text("div", `${message.direction === "inbound" ? "←" : "→"} ${message.body} (${message.status})`, message.direction));
  }
  await api(`/api/conversations/${conversationId}/read`, { method: "POST" }).catch(() => {});
}

async function loadNotifications() {
  const listing = await api("/api/notifications?limit=20");
  const list = $("notifications");
  list.replaceChildren();
  for (const notification of listing.items) addNotification(notification, false);
  $("unread").textContent = (await api("/api/notifications/unread-count")).unread;
}

function addNotification(notification, prepend = true) {
  const item = text("li", `${notification.title} ${notification.body}`, notification.read ? "" : "unread");
  prepend ? $("notifications").prepend(item) : $("notifications").append(item);
}

function listenForNotifications() {
  const stream = new EventSource(`/api/notifications/stream?access_token=${encodeURIComponent(state.token)}`);
  stream.addEventListener("notification", (event) => {
    addNotification(JSON.parse(event.data));
    $("unread").textContent = Number($("unread").textContent) + 1;
    loadConversations();
  });
}

$("login").onsubmit = signIn;
$("filter").onsubmit = loadContacts;
$("send").onclick = sendToSelection;
$("sign-out").onclick = () => { sessionStorage.removeItem("token"); location.reload(); };
$("bell").onclick = async () => { await api("/api/notifications/read-all", { method: "POST" }); await loadNotifications(); };
$("select-all").onchange = (event) => {
  state.selected = new Set(event.target.checked ? state.contacts.map((contact) => contact.id) : []);
  document.querySelectorAll("#contacts input").forEach((box) => { box.checked = event.target.checked; });
  renderSelection();
};
if (state.token) start().catch(() => sessionStorage.removeItem("token"));
