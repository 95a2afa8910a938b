// The account owner's A2P 10DLC registration: edit the draft, submit it, see the precise
// problems a refused submission names (422) and the registration's state.
import { api, session } from "./api.js";
import { attempt, el, messageBox } from "./dom.js";

const FIELDS = [
  ["company_name", "Company name"], ["brand_type", "Brand type", ["STANDARD", "SOLE_PROPRIETOR"]], ["ein", "EIN"],
  ["website", "Website"], ["contact_email", "Contact email"],
  ["customer_profile_bundle_sid", "Customer profile bundle (BU…)"], ["a2p_profile_bundle_sid", "A2P profile bundle (BU…)"],
  ["use_case", "Use case", ["MIXED", "MARKETING", "CUSTOMER_CARE", "ACCOUNT_NOTIFICATION", "POLLING_VOTING",
    "PUBLIC_SERVICE_ANNOUNCEMENT", "LOW_VOLUME", "HIGHER_EDUCATION", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "SECURITY_ALERT", "2FA"]], ["description", "Campaign description", "textarea"],
  ["message_flow", "How people opt in (message flow)", "textarea"], ["sample_messages", "Sample messages (one per line, up to 5)", "textarea"],
  ["privacy_policy_url", "Privacy policy URL"], ["terms_and_conditions_url", "Terms and conditions URL"],
];

export function mountRegistration(root) {
  const box = messageBox();
  const status = el("div", { class: "registration-state" });
  const problems = el("ul", { class: "problems" });
  const inputs = Object.fromEntries(FIELDS.map(([name, , kind]) => [name, fieldInput(name, kind)]));
  const isOwner = () => session.me?.role === "owner";

  function fill(registration) {
    for (const [name] of FIELDS) {
      const value = registration?.[name];
      if (value === undefined || (value === "" && inputs[name].tagName === "SELECT")) continue;
      inputs[name].value = Array.isArray(value) ? value.join("\n") : value;
    }
    status.replaceChildren(stateView(registration));
  }

  function draft() {
    const values = Object.fromEntries(FIELDS.map(([name]) => [name, inputs[name].value]));
    values.sample_messages = values.sample_messages.split("\n").map((line) => line.trim()).filter(Boolean);
    return values;
  }

  function markProblems(errors) {
    problems.replaceChildren(...errors.map((error) => el("li", {}, `${labelOf(error.field)}: ${error.problem}`)));
    for (const [name, input] of Object.entries(inputs)) input.classList.toggle("invalid", errors.some((e) => fieldName(e.field) === name));
  }

  async function reload() {
    markProblems([]);
    box.clear();
    try {
      fill(await api("/api/registrations"));
    } catch (error) {
      if (error.status === 404) status.replaceChildren(el("p", {}, "No registration yet. Fill in the draft and submit it."));
      else box.fail(error);
    }
  }

  async function save() {
    markProblems([]);
    const saved = await attempt(box, () => api("/api/registrations", { method: "PUT", json: draft() }));
    if (saved) { fill(saved); box.ok("Draft saved"); }
    return saved;
  }

  async function submit() {
    if (!(await save())) return;
    try {
      fill(await api("/api/registrations/submit", { method: "POST" }));
      box.ok("Submitted");
    } catch (error) {
      // A refused submission lists each problem next to its field instead of in the box.
      if (error.status === 422 && error.body?.errors) {
        box.fail(new Error(`${error.status}: ${error.body.detail}`));
        markProblems(error.body.errors);
      } else {
        box.fail(error);
      }
    }
  }

  const form = el("form", { class: "registration", onsubmit: (e) => e.preventDefault() },
    ...FIELDS.map(([name, label]) => el("label", {}, label, inputs[name])),
    el("div", { class: "row" }, el("button", { type: "button", onclick: save }, "Save draft"),
      el("button", { type: "button", class: "primary", onclick: submit }, "Submit for review")));

  root.replaceChildren(el("h2", {}, "A2P 10DLC registration"), status, problems, box,
    isOwner() ? form : el("p", {}, "Only the account owner can edit and submit the registration."));
  return { reload };
}

function fieldInput(name, kind) {
  if (Array.isArray(kind)) return el("select", { name }, kind.map((value) => el("option", { value }, value)));
  if (kind === "textarea") return el("textarea", { name, rows: 3 });
  return el("input", { name });
}

function fieldName(field) {
  return String(field).replace(/^(body|draft)\./, "").split(".")[0];
}

function labelOf(field) {
  return FIELDS.find(([name]) => name === fieldName(field))?.[1] || field;
}

function stateView(registration) {
  if (!registration) return el("span");
  const parts = [el("b", {}, `State: ${registration.state}`)];
  if (registration.reason) parts.push(el("div", { class: "error" }, `Reason: ${registration.reason}`));
  if (registration.deliverability_warning) parts.push(el("div", { class: "warning" }, "⚠ Until the registration is approved, texts go out but carriers may filter them."));
  for (const [label, value] of [["Brand", registration.brand_sid], ["Messaging service", registration.messaging_service_sid], ["Campaign", registration.campaign_sid]]) {
    if (value) parts.push(el("div", {}, `${label}: ${value}`));
  }
  return el("div", {}, parts);
}
