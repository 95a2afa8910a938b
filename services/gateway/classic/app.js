// The web client: sign-in, the views (contacts, profile, inbox, imports, numbers,
// registration) and live notifications, all through the gateway's public API.
import { api, session } from "./views/api.js";
import { $, el, when } from "./views/dom.js";
import { loadOwners, loadTagSuggestions, mountContacts } from "./views/contacts.js";
import { mountImports } from "./views/imports.js";
import { mountInbox } from "./views/inbox.js";
import { mountNumbers } from "./views/numbers.js";
import { mountProfile } from "./views/profile.js";
import { mountRegistration } from "./views/registration.js";

const views = {};

function show(name) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${name}`;
  for (const tab of document.querySelectorAll("#tabs button")) tab.classList.toggle("active", tab.dataset.view === name);
}

function openView(name) {
  show(name);
  location.hash = name;
  views[name]?.reload?.();
}

function openProfile(contactId) {
  show("profile");
  location.hash = `contact/${contactId}`;
  views.profile.open(contactId);
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const signedIn = await api("/api/auth/login", { method: "POST", json: Object.fromEntries(form) });
    session.token = signedIn.access_token;
    sessionStorage.setItem("crm.token", session.token);
    await start();
  } catch (error) {
    $("login-error").textContent = error.status === 401 ? "Wrong email or password" : error.message;
  }
}

async function start() {
  session.me = await api("/api/me");
  $("who").textContent = `${session.me.name} (${session.me.role})`;
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("bell").hidden = $("sign-out").hidden = $("tabs").hidden = false;
  views.contacts = mountContacts($("view-contacts"), { openProfile });
  views.profile = mountProfile($("view-profile"), { back: () => openView("contacts") });
  views.inbox = mountInbox($("view-inbox"), { openProfile, onRead: loadNotifications });
  views.imports = mountImports($("view-imports"));
  views.numbers = mountNumbers($("view-numbers"));
  views.registration = mountRegistration($("view-registration"));
  loadOwners($("owner-filter"));
  loadTagSuggestions($("known-tags"));
  routeFromHash();
  await Promise.all([loadNotifications(), loadNumber()]);
  listenForNotifications().catch(() => {});
}

function routeFromHash() {
  const [name, id] = location.hash.replace(/^#/, "").split("/");
  if (name === "contact" && id) openProfile(id);
  else openView(views[name] && name !== "profile" ? name : "contacts");
}

async function loadNumber() {
  try {
    const mine = await api("/api/numbers/mine");
    $("number").textContent = mine.phone_number ? `Texting from ${mine.phone_number}` : `Your number: ${mine.state}`;
  } catch {
    $("number").textContent = "You get your own number with your first text";
  }
}

async function loadNotifications() {
  try {
    const listing = await api("/api/notifications?limit=20");
    $("notifications").replaceChildren(...listing.items.map(notificationItem));
    $("unread").textContent = (await api("/api/notifications/unread-count")).unread;
  } catch (error) {
    $("notifications").replaceChildren(el("li", { class: "error" }, error.message));
  }
}

function notificationItem(notification) {
  return el("li", { class: notification.read ? "" : "unread" }, el("b", {}, notification.title), " ", notification.body,
    el("div", { class: "when" }, when(notification.created_at || notification.at)));
}

// EventSource cannot send the bearer header: each connection opens with a single-use ticket,
// and a dropped one is reopened with a new ticket rather than EventSource's own retry.
async function listenForNotifications() {
  const { ticket } = await api("/api/notifications/stream-tickets", { method: "POST" });
  const stream = new EventSource(`/api/notifications/stream?ticket=${encodeURIComponent(ticket)}`);
  stream.onerror = () => {
    stream.close();
    setTimeout(() => listenForNotifications().catch(() => {}), 5000);
  };
  stream.addEventListener("notification", (event) => {
    $("notifications").prepend(notificationItem(JSON.parse(event.data)));
    $("unread").textContent = Number($("unread").textContent) + 1;
    if (!$("view-inbox").hidden) views.inbox.reload();
    loadNumber();
  });
}

$("login").onsubmit = signIn;
$("sign-out").onclick = () => { sessionStorage.removeItem("crm.token"); location.hash = ""; location.reload(); };
$("bell").onclick = async () => { await api("/api/notifications/read-all", { method: "POST" }).catch(() => {}); await loadNotifications(); };
for (const tab of document.querySelectorAll("#tabs button")) tab.onclick = () => openView(tab.dataset.view);
if (session.token) start().catch(() => { sessionStorage.removeItem("crm.token"); location.reload(); });
