// A contact's profile: phones (type, primary, status) with the system tags as small
// actions (Wrong Number and Opt-In on a phone, Do Not Contact on the person), Call,
// tags, custom fields, notes, a text composer and the timeline.
import { api } from "./api.js";
import { attempt, el, fullName, messageBox, when } from "./dom.js";
import { composer } from "./texting.js";

const DNC = "Do Not Contact";
const WRONG = "Wrong Number";
const OPT_IN = "Opt-In";
const SYSTEM_TAGS = new Set([DNC, WRONG, OPT_IN]);
const PHONE_TYPES = ["cell", "home", "work", "landline", "unknown"];
const PHONE_STATUSES = ["active", "unreachable", "landline"];
const CONSENT_METHODS = ["verbal", "web form", "paper form", "text"];

export function mountProfile(root, { back }) {
  const box = messageBox();
  let contact = null;

  async function open(contactId) {
    root.replaceChildren(el("p", {}, "Loading…"));
    contact = await attempt(box, () => api(`/api/contacts/${contactId}`));
    draw();
  }

  // Every change answers with the updated contact; show it, or the error with its detail.
  async function change(action) {
    const updated = await attempt(box, action);
    if (updated) { contact = updated; draw(); }
  }

  const tagPath = (tag) => `/api/contacts/${contact.id}/tags`;
  const addTag = (tag, extra = {}) => change(() => api(tagPath(), { method: "POST", json: { tag, ...extra } }));
  const removeTag = (tag, phoneId) => change(() => api(
    `${tagPath()}/${encodeURIComponent(tag)}${phoneId ? `?phone_id=${encodeURIComponent(phoneId)}` : ""}`, { method: "DELETE" }));
  const patch = (fields) => change(() => api(`/api/contacts/${contact.id}`, { method: "PATCH", json: { ...fields, expected_revision: contact.revision } }));

  function draw() {
    const backButton = el("button", { type: "button", onclick: back }, "← Contacts");
    if (!contact) { root.replaceChildren(backButton, box); return; }
    const text = composer({ title: `Text ${fullName(contact)}`, recipients: () => ({ count: 1 }), contactId: contact.id });
    root.replaceChildren(
      el("div", { class: "profile-main" },
        el("div", { class: "row" }, backButton, el("h2", {}, fullName(contact)), dncControl(contact, addTag, removeTag)),
        box,
        details(contact),
        phonesSection(contact, { addTag, removeTag, patch, box }),
        tagsSection(contact, addTag, removeTag),
        customFieldsSection(contact, patch),
        notesSection(contact, patch)),
      el("div", { class: "profile-side" }, text.element, timelineSection(contact)));
  }

  return { open };
}

function details(contact) {
  const address = contact.address ? [contact.address.street, contact.address.city, contact.address.state, contact.address.zip].filter(Boolean).join(", ") : "—";
  return el("dl", { class: "details" },
    el("dt", {}, "Emails"), el("dd", {}, contact.emails.join(", ") || "—"),
    el("dt", {}, "Address"), el("dd", {}, address),
    el("dt", {}, "Created"), el("dd", {}, when(contact.created_at)),
    el("dt", {}, "Last contacted"), el("dd", {}, when(contact.last_contacted_at)));
}

function dncControl(contact, addTag, removeTag) {
  return contact.dnc
    ? el("span", {}, el("span", { class: "tag system" }, DNC), " ", el("button", { type: "button", onclick: () => removeTag(DNC) }, "Remove Do Not Contact"))
    : el("button", { type: "button", class: "danger", onclick: () => addTag(DNC) }, "Mark Do Not Contact");
}

function phonesSection(contact, { addTag, removeTag, patch, box }) {
  const edits = contact.phones.map((phone) => ({ number: phone.e164, type: phone.type, primary: phone.primary, status: phone.status }));
  const rows = contact.phones.map((phone, index) => phoneRow(contact, phone, edits[index], edits, { addTag, removeTag, box }));
  return el("section", {},
    el("h3", {}, "Phones"),
    el("table", {}, el("thead", {}, el("tr", {}, ["Number", "Type", "Primary", "Status", "Flags", "Actions"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows)),
    contact.phones.length ? el("button", { type: "button", onclick: () => patch({ phones: edits }) }, "Save phone changes") : el("p", {}, "No phones"));
}

function phoneRow(contact, phone, edit, edits, { addTag, removeTag, box }) {
  const type = el("select", { onchange: (e) => { edit.type = e.target.value; } }, PHONE_TYPES.map((t) => el("option", { value: t, selected: t === phone.type }, t)));
  const primary = el("input", { type: "radio", name: "primary-phone", checked: phone.primary,
    onchange: () => edits.forEach((other) => { other.primary = other === edit; }) });
  const status = el("select", { onchange: (e) => { edit.status = e.target.value; } }, PHONE_STATUSES.map((s) => el("option", { value: s, selected: s === phone.status }, s)));
  const flags = [];
  if (phone.wrong_number) flags.push(el("span", { class: "tag system" }, WRONG));
  if (phone.opted_in) flags.push(el("span", { class: "tag system", title: consentText(phone.opt_in) }, `${OPT_IN} (${consentText(phone.opt_in)})`));
  if (phone.opted_out) flags.push(el("span", { class: "tag warning-tag" }, `opted out ${phone.opt_out ? `by ${phone.opt_out.source} ${when(phone.opt_out.at)}` : ""}`));
  return el("tr", {},
    el("td", {}, phone.e164, el("div", { class: "phone-type" }, [phone.region, phone.time_zone].filter(Boolean).join(" · "))),
    el("td", {}, type), el("td", {}, primary), el("td", {}, status), el("td", {}, flags),
    el("td", { class: "actions" },
      el("button", { type: "button", class: "call", onclick: () => placeCall(contact, phone, box) }, "📞 Call"),
      phone.wrong_number
        ? el("button", { type: "button", onclick: () => removeTag(WRONG, phone.phone_id) }, "Not a wrong number")
        : el("button", { type: "button", onclick: () => addTag(WRONG, { phone_id: phone.phone_id }) }, "Wrong number"),
      phone.opted_in
        ? el("button", { type: "button", onclick: () => removeTag(OPT_IN, phone.phone_id) }, "Remove opt-in")
        : optInForm(phone, addTag)));
}

function consentText(record) {
  if (!record) return "";
  return [record.method, record.keyword ? `keyword ${record.keyword}` : "", record.note, when(record.at)].filter(Boolean).join(", ");
}

function optInForm(phone, addTag) {
  const method = el("select", {}, CONSENT_METHODS.map((m) => el("option", { value: m }, m)));
  const note = el("input", { placeholder: "note (optional)", size: 12 });
  return el("span", { class: "opt-in" }, method, note,
    el("button", { type: "button", onclick: () => addTag(OPT_IN, { phone_id: phone.phone_id, consent: { method: method.value, ...(note.value ? { note: note.value } : {}) } }) }, "Record opt-in"));
}

async function placeCall(contact, phone, box) {
  const call = await attempt(box, () => api("/api/calls", { method: "POST", json: { contact_id: contact.id, phone_id: phone.phone_id } }));
  if (call) box.ok(`Calling: your phone ${call.ringing} rings first, then ${call.to_number} from ${call.from_number}.`);
}

function tagsSection(contact, addTag, removeTag) {
  const input = el("input", { placeholder: "Add a tag", list: "known-tags" });
  const chips = contact.tags.map((tag) => el("span", { class: SYSTEM_TAGS.has(tag) ? "tag system" : "tag" }, tag,
    SYSTEM_TAGS.has(tag) ? "" : el("button", { type: "button", class: "chip-x", title: `Remove ${tag}`, onclick: () => removeTag(tag) }, "×")));
  return el("section", {}, el("h3", {}, "Tags"), el("div", {}, chips),
    el("form", { class: "row", onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) addTag(input.value.trim()); } }, input, el("button", {}, "Add tag")));
}

function customFieldsSection(contact, patch) {
  const rows = Object.entries(contact.custom_fields).map(([name, value]) => el("tr", {},
    el("td", {}, name), el("td", {}, String(value)),
    el("td", {}, el("button", { type: "button", onclick: () => patch({ custom_fields: { [name]: null } }) }, "Remove"))));
  const name = el("input", { placeholder: "Field" });
  const value = el("input", { placeholder: "Value" });
  return el("section", {}, el("h3", {}, "Custom fields"),
    el("table", {}, el("tbody", {}, rows)),
    el("form", { class: "row", onsubmit: (e) => { e.preventDefault(); patch({ custom_fields: { [name.value.trim()]: value.value } }); } },
      name, value, el("button", {}, "Set field")));
}

function notesSection(contact, patch) {
  const notes = el("textarea", { rows: 4 });
  notes.value = contact.notes || "";
  return el("section", {}, el("h3", {}, "Notes"), notes,
    el("button", { type: "button", onclick: () => patch({ notes: notes.value || null }) }, "Save notes"));
}

function timelineSection(contact) {
  const entries = [...contact.timeline].reverse().map((entry) => el("li", {},
    el("span", { class: "when" }, when(entry.at)), " ", el("b", {}, entry.kind.replaceAll("_", " ")),
    ` (${entry.source})`, el("div", { class: "detail" }, describeDetail(entry.detail))));
  return el("section", {}, el("h3", {}, "Timeline"), el("ul", { class: "timeline" }, entries.length ? entries : el("li", {}, "Nothing yet")));
}

function describeDetail(detail) {
  return Object.entries(detail || {}).map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`).join("; ");
}
