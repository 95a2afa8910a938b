// Numbers as people read them: national format in the account's country, E.164 for titles.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

export const ACCOUNT_COUNTRY: CountryCode = "US";

export function formatPhone(e164: string, country: CountryCode = ACCOUNT_COUNTRY): string {
  const parsed = parsePhoneNumberFromString(e164, country);
  if (!parsed) return e164;
  return parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
}

const TYPE_WORDS: Record<string, string> = { cell: "Cell", home: "Home", work: "Work", landline: "Landline", unknown: "Phone" };

export function phoneTypeWord(type: string): string {
  return TYPE_WORDS[type] ?? "Phone";
}

type PhoneState = { opted_out: boolean; wrong_number: boolean; status: string; opted_in?: boolean };

/** What stands in the way of texting this phone, in words; none when it can be texted. */
export function phoneStates(phone: PhoneState): string[] {
  const states: string[] = [];
  if (phone.wrong_number) states.push("Wrong number");
  if (phone.opted_out) states.push("Opted out");
  if (phone.status === "landline") states.push("Landline");
  if (phone.status === "unreachable") states.push("Unreachable");
  return states;
}
