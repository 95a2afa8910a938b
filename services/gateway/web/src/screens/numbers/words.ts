// A texting number's state, how it was chosen and what went wrong, in words.
import type { Schemas } from "../../api/client";

export type NumberLine = Schemas["NumberPublic"];

const STATES: Record<string, { words: string; tone: "ok" | "info" | "warn" | "danger" | "" }> = {
  awaiting_user: { words: "Waiting to be bought", tone: "info" },
  purchasing: { words: "Being bought", tone: "info" },
  active: { words: "Active", tone: "ok" },
  failed: { words: "Purchase failed", tone: "danger" },
  releasing: { words: "Being released", tone: "warn" },
  released: { words: "Released", tone: "" },
};

export function stateWords(state: string): string {
  return STATES[state]?.words ?? state.replace(/_/g, " ");
}

export function stateTone(state: string): string {
  return STATES[state]?.tone ?? "";
}

/** Whether the number is on its way (worth asking about again soon). */
export function isBeingBought(line: Pick<NumberLine, "state">): boolean {
  return line.state === "awaiting_user" || line.state === "purchasing" || line.state === "failed";
}

const RULES: Record<string, (whose: string) => string> = {
  area_code: (whose) => `in ${whose} area code`,
  overlay: (whose) => `in an overlay of ${whose} area code`,
  same_state: (whose) => `elsewhere in ${whose} state`,
  country: () => "elsewhere in the country (none was free nearer)",
};

/** How the number was chosen, said of its holder ("the holder's") or of the reader ("your"). */
export function selectionWords(rule: string | null | undefined, whose = "the holder's"): string | null {
  if (!rule) return null;
  return RULES[rule]?.(whose) ?? rule.replace(/_/g, " ");
}

/** The line's trouble as one sentence: the carrier's last error, and when it is tried again. */
export function troubleWords(line: Pick<NumberLine, "state" | "last_error" | "attempts">): string | null {
  if (!line.last_error) return null;
  const attempts = line.attempts > 1 ? ` (after ${line.attempts} attempts)` : "";
  const error = line.last_error.charAt(0).toUpperCase() + line.last_error.slice(1);
  return line.state === "failed" ? `${error}${attempts}.` : `Last attempt: ${error}${attempts}.`;
}

export const DEACTIVATION_CHOICES = [
  { value: "release", label: "Give the number back", hint: "The number is released to the carrier; the next user gets a new one." },
  { value: "reassign", label: "Keep it for the next user", hint: "The account keeps the number and gives it to the next user who needs one." },
] as const;
