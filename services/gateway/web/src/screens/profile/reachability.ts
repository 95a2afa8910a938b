// Whether a contact can be texted or called now, and if not, why (the messaging service's own rules).
import { formatPhone } from "../../format/phone";
import { personName } from "../../format/name";
import type { Contact, Phone } from "../../tags/useTagShortcut";

/** Why this phone cannot be texted, in words; null when it can. */
export function phoneTextBlocker(phone: Phone): string | null {
  if (phone.type !== "cell" || phone.status === "landline") return "is not a cell phone";
  if (phone.status === "unreachable") return "cannot be reached";
  if (phone.wrong_number) return "is marked Wrong Number";
  if (phone.opted_out) return "opted out of texts";
  return null;
}

export type Textability = { phones: Phone[]; reason: string | null };

/** The phones that can be texted, and when there are none, why not. */
export function textability(contact: Contact): Textability {
  if (contact.dnc) return { phones: [], reason: `${personName(contact)} is marked Do Not Contact` };
  if (!contact.phones.length) return { phones: [], reason: `${personName(contact)} has no phone number` };
  const phones = contact.phones.filter((phone) => !phoneTextBlocker(phone));
  if (phones.length) return { phones: primaryFirst(phones), reason: null };
  return { phones: [], reason: contact.phones.map((phone) => `${formatPhone(phone.e164)} ${phoneTextBlocker(phone)}`).join("; ") };
}

export function primaryFirst(phones: Phone[]): Phone[] {
  return [...phones].sort((a, b) => Number(b.primary) - Number(a.primary));
}
