// What would stop a text to one person, in words, from what the API says about them: the same
// rules the messaging service applies when it sends (it re-checks; this is what the sender sees).
import type { Schemas } from "../api/client";
import { formatPhone } from "../format/phone";

type Contact = Schemas["ContactPublic"];
type Phone = Schemas["PhonePublic"];
type MyNumber = Schemas["NumberPublic"] | null | undefined;
type QuietHours = Schemas["QuietHours"] | null | undefined;

/** Why this phone must not be texted, or null (the order is the service's). */
export function phoneBlockedBecause(contact: Contact, phone: Phone): string | null {
  if (phone.type !== "cell" || phone.status === "landline") return `it is a ${phone.type === "cell" ? "landline" : phone.type} number, not a cell`;
  if (phone.status === "unreachable") return "the number cannot be reached";
  if (phone.wrong_number) return "it is marked Wrong Number";
  if (contact.dnc) return "the person is marked Do Not Contact";
  if (phone.opted_out) return "they opted out of texts";
  return null;
}

const LEGAL = { start: "08:00", end: "21:00" };
const EIGHT_PM_STATES = new Set(["FL", "OK", "MD", "WA", "MS"]);

function localClock(zone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

function twelveHour(clock: string): string {
  const [hours, minutes] = clock.split(":").map(Number);
  return new Date(2000, 0, 1, hours, minutes).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

/** "quiet hours there until 8:00 AM" when the phone's local time is outside the window. */
export function quietHoursNotice(phone: Phone, account: QuietHours, at: Date = new Date()): string | null {
  if (!phone.time_zone) return null;
  let start = LEGAL.start;
  let end = EIGHT_PM_STATES.has(phone.region ?? "") ? "20:00" : LEGAL.end;
  if (account) {
    start = account.start.slice(0, 5) > start ? account.start.slice(0, 5) : start;
    end = account.end.slice(0, 5) < end ? account.end.slice(0, 5) : end;
  }
  const now = localClock(phone.time_zone, at);
  if (now >= start && now < end) return null;
  return `It is ${twelveHour(now)} for ${formatPhone(phone.e164)}: quiet hours there until ${twelveHour(start)} local; the text waits until then.`;
}

const NUMBER_WORDS: Record<string, string> = {
  failed: "Buying your texting number failed and is being retried: the text goes out once you have one.",
  releasing: "Your texting number is being released: texts wait for a new one.",
  released: "You have no texting number: one is bought with this text, and it goes out once it is ready.",
};

export function numberNotice(mine: MyNumber): string | null {
  if (mine === undefined) return null;
  if (mine === null) return "You have no texting number yet: one is bought with this text, and it goes out once it is ready.";
  if (mine.phone_number) return null;
  return NUMBER_WORDS[mine.state] ?? "Your texting number is being bought: the text goes out once it is ready.";
}

export type Eligibility = { blockers: string[]; notices: string[]; textable: Phone[] };

export function eligibilityOf(contact: Contact, mine: MyNumber, quiet: QuietHours, at: Date = new Date()): Eligibility {
  const textable = contact.phones.filter((phone) => phoneBlockedBecause(contact, phone) === null);
  const notices = [numberNotice(mine), ...textable.map((phone) => quietHoursNotice(phone, quiet, at))].filter(Boolean) as string[];
  const skipped = contact.phones.filter((phone) => !textable.includes(phone));
  if (textable.length) {
    notices.push(...skipped.map((phone) => `${formatPhone(phone.e164)} is left out: ${phoneBlockedBecause(contact, phone)}.`));
    return { blockers: [], notices, textable };
  }
  const name = `${contact.first_name} ${contact.last_name}`.trim() || "This contact";
  if (!contact.phones.length) return { blockers: [`${name} has no phone number.`], notices: [], textable };
  if (contact.dnc) return { blockers: [`${name} is marked Do Not Contact.`], notices: [], textable };
  const blockers = skipped.map((phone) => `${formatPhone(phone.e164)} cannot be texted: ${phoneBlockedBecause(contact, phone)}.`);
  return { blockers: [`${name} cannot be texted.`, ...blockers], notices: [], textable };
}
