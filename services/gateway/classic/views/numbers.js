// Numbers: the user's own texting number and its state (a failed purchase shows its
// error and the next attempt), every number of the account for owners and admins, the
// account's deactivation policy, and the owner's A2P 10DLC registration.
import { api, session } from "./api.js";
import { attempt, el, messageBox, when } from "./dom.js";

const STATE_TEXT = { requested: "being bought", active: "active", failed: "purchase failed", released: "released" };

export function mountNumbers(root) {
  const box = messageBox();
  const mine = el("div", { class: "my-number" });
  const all = el("div");
  const settings = el("div");

  async function reload() {
    mine.replaceChildren(await myNumber(box));
    all.replaceChildren(await accountNumbers(box));
    settings.replaceChildren(await numberSettings());
  }

  root.replaceChildren(el("h2", {}, "My number"), box, mine, all, settings);
  return { reload };
}

async function myNumber(box) {
  try {
    return numberCard(await api("/api/numbers/mine"));
  } catch (error) {
    if (error.status === 404) return el("p", {}, "No number yet: you get your own number with your first text.");
    box.fail(error);
    return el("span");
  }
}

function numberCard(line) {
  const facts = [
    ["Number", line.phone_number || "—"], ["State", STATE_TEXT[line.state] || line.state], ["Area code", line.area_code || "—"],
    ["Chosen by", line.selection_rule || "—"], ["Yours since", when(line.since)], ["Requested", when(line.requested_at)],
    ["Attempts", line.attempts]];
  if (line.last_error) facts.push(["Last error", line.last_error]);
  if (line.next_attempt_at) facts.push(["Next attempt", when(line.next_attempt_at)]);
  return el("dl", { class: `details state-${line.state}` }, facts.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, String(value))]));
}

async function accountNumbers(box) {
  if (!["owner", "admin"].includes(session.me?.role)) return el("span");
  const listing = await attempt(box, () => api("/api/numbers"));
  if (!listing) return el("span");
  const rows = listing.items.map((line) => el("tr", { class: `state-${line.state}` },
    el("td", {}, line.user_name || line.user_id, el("div", { class: "phone-type" }, line.user_email || "")),
    el("td", {}, line.phone_number || "—"), el("td", {}, STATE_TEXT[line.state] || line.state), el("td", {}, when(line.since)),
    el("td", {}, line.last_error || ""), el("td", {}, line.next_attempt_at ? when(line.next_attempt_at) : "")));
  return el("section", {}, el("h2", {}, "Every number of the account"),
    el("table", { id: "account-numbers" }, el("thead", {}, el("tr", {}, ["Holder", "Number", "State", "Since", "Last error", "Next attempt"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 6 }, "No numbers yet")))));
}

async function numberSettings() {
  if (!["owner", "admin"].includes(session.me?.role)) return el("span");
  const box = messageBox();
  const current = await attempt(box, () => api("/api/numbers/settings"));
  if (!current) return el("section", {}, box);
  const policy = el("select", { disabled: session.me.role !== "owner" },
    [["release", "give the number back"], ["reassign", "keep it for the next user"]].map(([value, label]) =>
      el("option", { value, selected: value === current.on_deactivation }, label)));
  const save = async () => {
    const saved = await attempt(box, () => api("/api/numbers/settings", { method: "PUT", json: { on_deactivation: policy.value } }));
    if (saved) box.ok("Saved");
  };
  return el("section", {}, el("h3", {}, "When a user is deactivated"), el("div", { class: "row" }, policy,
    session.me.role === "owner" ? el("button", { type: "button", onclick: save }, "Save") : ""), box);
}
