// The A2P 10DLC registration as a guided form: its steps and fields, where each of the API's
// pre-check problems belongs, and how far the carrier's review has got after submitting.
import type { Schemas } from "../../api/client";
import type { FieldProblem } from "../../api/problems";

export type Registration = Schemas["RegistrationPublic"];
export type RegistrationState = Schemas["RegistrationStatePublic"];
export type Draft = Required<Schemas["RegistrationWrite"]>;
export type FieldName = Exclude<keyof Draft, "sample_messages">;

export const USE_CASES = [
  "MIXED", "MARKETING", "CUSTOMER_CARE", "ACCOUNT_NOTIFICATION", "POLLING_VOTING", "PUBLIC_SERVICE_ANNOUNCEMENT",
  "LOW_VOLUME", "HIGHER_EDUCATION", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "SECURITY_ALERT", "2FA",
];
export const MIN_SAMPLES = 2;
export const MAX_SAMPLES = 5;

export type Field = {
  name: FieldName;
  label: string;
  hint?: string;
  kind?: "textarea" | "email" | "url";
  options?: { value: string; label: string }[];
  optional?: boolean;
};

export type StepId = "brand" | "campaign" | "samples" | "review";
export type Step = { id: StepId; title: string; fields: Field[] };

const words = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ");

export const STEPS: Step[] = [
  {
    id: "brand", title: "Brand", fields: [
      { name: "company_name", label: "Legal business name", hint: "Exactly as on the tax registration." },
      { name: "brand_type", label: "Brand type", options: [
        { value: "STANDARD", label: "Standard (a business or organisation with an EIN)" },
        { value: "SOLE_PROPRIETOR", label: "Sole proprietor (no EIN)" }] },
      { name: "ein", label: "EIN (tax id)", hint: "9 digits, e.g. 12-3456789. Not needed for a sole proprietor." },
      { name: "website", label: "Website", kind: "url", hint: "https://…" },
      { name: "contact_email", label: "Contact email", kind: "email", hint: "The HELP reply names it, with the website and phone." },
      { name: "contact_phone", label: "Contact phone", optional: true, hint: "Where people reach you, e.g. (512) 555-0100; the HELP reply names it." },
      { name: "customer_profile_bundle_sid", label: "Customer profile bundle", hint: "From Twilio Trust Hub: BU followed by 32 characters." },
      { name: "a2p_profile_bundle_sid", label: "A2P profile bundle", hint: "From Twilio Trust Hub: BU followed by 32 characters." },
    ],
  },
  {
    id: "campaign", title: "Campaign", fields: [
      { name: "use_case", label: "Use case", options: USE_CASES.map((value) => ({ value, label: value === "2FA" ? "2FA" : words(value) })) },
      { name: "description", label: "What the campaign sends", kind: "textarea", hint: "At least 40 characters." },
      { name: "message_flow", label: "How people opt in", kind: "textarea", hint: "Say how people give consent, e.g. they tick a box on the sign-up form. At least 40 characters." },
      { name: "privacy_policy_url", label: "Privacy policy URL", kind: "url" },
      { name: "terms_and_conditions_url", label: "Terms and conditions URL", kind: "url", optional: true },
    ],
  },
  { id: "samples", title: "Sample messages", fields: [] },
  { id: "review", title: "Review", fields: [] },
];

export function stepIndex(id: string | null | undefined): number {
  const index = STEPS.findIndex((step) => step.id === id);
  return index < 0 ? 0 : index;
}

export const EMPTY_DRAFT: Draft = {
  company_name: "", brand_type: "STANDARD", ein: "", website: "", contact_email: "", contact_phone: "", customer_profile_bundle_sid: "",
  a2p_profile_bundle_sid: "", use_case: "MIXED", description: "", message_flow: "", sample_messages: ["", ""],
  privacy_policy_url: "", terms_and_conditions_url: "",
};

export function draftOf(registration: Partial<Registration> | null | undefined): Draft {
  const draft = { ...EMPTY_DRAFT };
  for (const key of Object.keys(EMPTY_DRAFT) as (keyof Draft)[]) {
    const value = registration?.[key];
    if (value !== undefined && value !== null) (draft as Record<string, unknown>)[key] = value;
  }
  const samples = [...draft.sample_messages];
  while (samples.length < MIN_SAMPLES) samples.push("");
  return { ...draft, sample_messages: samples };
}

/** The draft as PUT /api/registrations takes it: trimmed, blank samples left out. */
export function toWrite(draft: Draft): Draft {
  const trimmed = Object.fromEntries(Object.entries(draft).map(([key, value]) => [key, typeof value === "string" ? value.trim() : value])) as Draft;
  return { ...trimmed, sample_messages: draft.sample_messages.map((sample) => sample.trim()).filter(Boolean) };
}

/** The form's place of an API field: "body.ein" → "ein", "sample_messages.1" stays (that sample). */
export function placeOf(field: string): string {
  return field.replace(/^(body|draft)\./, "");
}

/** The step a problem's field is on; a problem naming no field of the form goes to the review. */
export function stepOfProblem(field: string): StepId {
  const place = placeOf(field);
  if (place.startsWith("sample_messages")) return "samples";
  const step = STEPS.find((candidate) => candidate.fields.some((item) => place === item.name || place.startsWith(`${item.name}.`)));
  return step?.id ?? "review";
}

/** Problems at one place of the form ("ein", "sample_messages", "sample_messages.0"). */
export function problemsAt(problems: FieldProblem[], place: string): string[] {
  return problems.filter((problem) => placeOf(problem.field) === place).map((problem) => problem.problem);
}

export function problemCount(problems: FieldProblem[], step: StepId): number {
  return problems.filter((problem) => stepOfProblem(problem.field) === step).length;
}

/** The first step that has a problem, to open after a refused submission. */
export function firstStepWithProblems(problems: FieldProblem[]): StepId | null {
  return STEPS.find((step) => problemCount(problems, step.id) > 0)?.id ?? null;
}

/** Whether the owner may still change the draft (the API locks it while the carrier reviews it). */
export function isEditable(state: string | undefined): boolean {
  return !state || state === "draft" || state === "failed";
}

export type StageState = "done" | "current" | "failed" | "waiting";
export type Stage = { name: string; state: StageState; words: string };

const CARRIER_STAGES: { name: string; key: "brand_sid" | "messaging_service_sid" | "campaign_sid"; doing: string; done: string }[] = [
  { name: "Brand", key: "brand_sid", doing: "The brand is being registered and vetted", done: "Brand registered" },
  { name: "Messaging service", key: "messaging_service_sid", doing: "The messaging service is being set up", done: "Messaging service ready" },
  { name: "Campaign", key: "campaign_sid", doing: "The campaign is being registered", done: "Campaign registered" },
];

/** Each step of the registration after it is submitted: the pre-check, the carrier's three, the approval. */
export function stages(registration: Pick<Registration, "state" | "reason" | "brand_sid" | "messaging_service_sid" | "campaign_sid"> | null): Stage[] {
  const state = registration?.state ?? "draft";
  const submitted = state !== "draft";
  const result: Stage[] = [{ name: "Checked", state: submitted ? "done" : "current", words: submitted ? "Submitted" : "Not submitted yet" }];
  let blocked = !submitted;
  for (const stage of CARRIER_STAGES) {
    if (blocked) {
      result.push({ name: stage.name, state: "waiting", words: "Not started" });
    } else if (registration?.[stage.key]) {
      result.push({ name: stage.name, state: "done", words: stage.done });
    } else {
      blocked = true;
      result.push(state === "failed"
        ? { name: stage.name, state: "failed", words: `Failed${registration?.reason ? `: ${registration.reason}` : ""}` }
        : { name: stage.name, state: "current", words: stage.doing });
    }
  }
  if (blocked) result.push({ name: "Approved", state: "waiting", words: "Not yet" });
  else if (state === "approved") result.push({ name: "Approved", state: "done", words: "Carriers approved the campaign" });
  else if (state === "failed") result.push({ name: "Approved", state: "failed", words: `Carriers refused the campaign${registration?.reason ? `: ${registration.reason}` : ""}` });
  else result.push({ name: "Approved", state: "current", words: "Carriers are reviewing the campaign" });
  return result;
}

export const STATE_WORDS: Record<string, string> = {
  draft: "Draft: not submitted",
  submitted: "Submitted",
  in_review: "In review with the carriers",
  approved: "Approved",
  failed: "Refused: fix the details and submit again",
};
