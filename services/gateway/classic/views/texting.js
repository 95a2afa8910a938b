// Composing a text: the messaging service's preview (encoding, segments, cost, the
// smart-quote replacement offer, A2P warnings), then a single send to one contact or a
// bulk send to a selection with live progress and a cancel button.
import { api } from "./api.js";
import { attempt, el, messageBox, poll } from "./dom.js";

const FINAL = new Set(["completed", "cancelled"]);

// recipients(): {count, contactIds?, filter?}; onSent(): refresh hook.
export function composer({ title, recipients, contactId = null, onSent = () => {} }) {
  const body = el("textarea", { rows: 4, placeholder: "Message ({first_name} merges the contact's first name)" });
  const preview = el("div", { class: "preview" });
  const result = el("div", { class: "send-result" });
  const box = messageBox();
  const heading = el("h3", {}, title);
  const previewButton = el("button", { type: "button", onclick: () => showPreview() }, "Preview");
  const sendButton = el("button", { type: "button", class: "primary", disabled: true, onclick: () => sendNow() }, "Send");
  body.oninput = () => { sendButton.disabled = true; preview.replaceChildren(); };

  async function showPreview() {
    const who = recipients();
    const shown = await attempt(box, () => api("/api/messages/preview", {
      method: "POST", json: { body: body.value, recipients: who.count, ...(contactId ? { contact_id: contactId } : {}) },
    }));
    if (!shown) return;
    renderPreview(preview, shown, (suggested) => { body.value = suggested; showPreview(); });
    sendButton.disabled = who.count === 0;
  }

  async function sendNow() {
    sendButton.disabled = true;
    const who = recipients();
    if (contactId) {
      const sent = await attempt(box, () => api("/api/messages", {
        method: "POST", json: { contact_id: contactId, body: body.value, idempotency_key: crypto.randomUUID() },
      }));
      if (sent) result.replaceChildren(singleOutcome(sent));
    } else {
      const job = await attempt(box, () => api("/api/bulk-sends", { method: "POST", json: bulkPayload(body.value, who) }));
      if (job) result.replaceChildren(bulkProgress(job, onSent));
    }
    onSent();
  }

  return {
    element: el("div", { class: "composer" }, heading, body, el("div", { class: "row" }, previewButton, sendButton), preview, box, result),
    setTitle: (text) => { heading.textContent = text; },
  };
}

function bulkPayload(text, who) {
  const base = { body: text, idempotency_key: crypto.randomUUID() };
  return who.filter ? { ...base, selection: { filter: who.filter } } : { ...base, contact_ids: who.contactIds };
}

function renderPreview(target, shown, useSuggested) {
  const facts = el("div", { class: "facts" },
    fact("Encoding", shown.encoding), fact("Characters", shown.characters), fact("Segments", shown.segments),
    fact("Recipients", shown.recipients), fact("Estimated cost", `$${shown.estimated_cost}`),
    fact("Per segment", `$${shown.price_per_segment}`));
  const parts = [facts];
  if (shown.suggested_body) {
    const replaced = shown.replacements.map((r) => `${r.original} → ${r.replacement} (×${r.count})`).join(", ");
    parts.push(el("div", { class: "offer" },
      `Smart characters force ${shown.encoding}: ${replaced}. Replacing them gives ${shown.suggested_encoding}, `
      + `${shown.suggested_segments} segment(s), $${shown.suggested_estimated_cost}. `,
      el("button", { type: "button", onclick: () => useSuggested(shown.suggested_body) }, "Replace them")));
  }
  for (const warning of shown.warnings) parts.push(el("div", { class: "warning" }, `⚠ ${warning}`));
  target.replaceChildren(...parts);
}

function fact(label, value) {
  return el("span", { class: "fact" }, el("b", {}, `${label}: `), String(value));
}

function singleOutcome(sent) {
  const lines = [el("div", {}, `${sent.messages.length} message(s) queued`)];
  for (const skipped of sent.skipped) lines.push(el("div", { class: "warning" }, `phone ${skipped.phone_id} skipped: ${skipped.reason}`));
  for (const warning of sent.warnings) lines.push(el("div", { class: "warning" }, `⚠ ${warning}`));
  return el("div", {}, lines);
}

// The live progress of a bulk send, polled until it is completed or cancelled.
export function bulkProgress(job, onChange = () => {}) {
  const view = el("div", { class: "bulk-progress" });
  const box = messageBox();
  const cancelBox = messageBox();
  const cancel = el("button", { type: "button", onclick: async () => {
    const cancelled = await attempt(cancelBox, () => api(`/api/bulk-sends/${job.job_id}/cancel`, { method: "POST" }));
    if (cancelled) draw(cancelled);
  } }, "Cancel the rest");

  function draw(progress) {
    const bar = el("progress", { max: Math.max(progress.total, 1), value: progress.total - progress.queued });
    const skipped = Object.entries(progress.skipped).map(([reason, count]) => el("li", {}, `skipped (${reason}): ${count}`));
    view.replaceChildren(
      el("div", {}, el("b", {}, `Bulk send ${progress.status}`), ` — ${progress.contacts} contact(s), ${progress.total} message(s)`),
      bar,
      el("div", { class: "facts" }, fact("Queued", progress.queued), fact("Sent", progress.sent), fact("Delivered", progress.delivered),
        fact("Failed", progress.failed), fact("Cancelled", progress.cancelled)),
      el("ul", { class: "skipped" }, skipped),
      ...progress.warnings.map((warning) => el("div", { class: "warning" }, `⚠ ${warning}`)),
      FINAL.has(progress.status) ? el("span") : cancel,
      cancelBox, box,
    );
    if (FINAL.has(progress.status) && !finished) { finished = true; onChange(); }
  }

  // Delivery receipts keep arriving after the last message went out: follow them a while longer.
  let lateTicks = 0;
  let finished = false;
  const awaitingReceipts = (p) => p.sent > p.delivered + p.failed && lateTicks++ < 30;
  draw(job);
  poll(1000, async () => {
    const progress = await attempt(box, () => api(`/api/bulk-sends/${job.job_id}`));
    if (progress) draw(progress);
    return !progress || !FINAL.has(progress.status) || awaitingReceipts(progress);
  });
  return view;
}
