// Which of a contact's phones to reach first, and what stops a text to them (the texting rules, in words).
import { eligibilityOf } from "../../texting/eligibility";
import type { Contact, Phone } from "../../tags/useTagShortcut";

export function primaryFirst(phones: Phone[]): Phone[] {
  return [...phones].sort((a, b) => Number(b.primary) - Number(a.primary));
}

/** The phones that can be texted, and when there are none, why not (one sentence). */
export function textability(contact: Contact): { phones: Phone[]; reason: string | null } {
  const { textable, blockers } = eligibilityOf(contact, undefined, undefined);
  return { phones: primaryFirst(textable), reason: blockers.length ? blockers.join(" ") : null };
}
