// A typed cell number checked before it is sent: E.164 for the API, or what is wrong with it.
import { AsYouType, parsePhoneNumberFromString } from "libphonenumber-js";
import { ACCOUNT_COUNTRY } from "../../format/phone";

export type CellCheck = { e164: string | null; problem: string | null };

/** Empty is allowed (no cell); anything else must be a real number in the account's country or in +… form. */
export function checkCell(typed: string): CellCheck {
  const text = typed.trim();
  if (!text) return { e164: null, problem: null };
  const parsed = parsePhoneNumberFromString(text, ACCOUNT_COUNTRY);
  if (!parsed || !parsed.isValid()) return { e164: null, problem: "This is not a valid phone number" };
  const type = parsed.getType();
  if (type && !["MOBILE", "FIXED_LINE_OR_MOBILE"].includes(type)) return { e164: null, problem: "This number is not a cell phone" };
  return { e164: parsed.number, problem: null };
}

/** The number as it is typed, formatted nationally: "5124742000" reads "(512) 474-2000". */
export function formatAsTyped(typed: string): string {
  // Deleting back over a bracket or dash must not be undone by reformatting.
  if (/[()\-\s]$/.test(typed)) return typed;
  return new AsYouType(ACCOUNT_COUNTRY).input(typed);
}
