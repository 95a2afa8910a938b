// Which contact field each column of a CSV file fills: the targets POST /api/imports/{id}/start
// understands, a first guess from each header, and the checks made before the import starts.
import type { Schemas } from "../../api/client";

export type ImportOptions = Schemas["ImportOptions"];
export type PhoneType = NonNullable<ImportOptions["default_phone_type"]>;
export type ColumnMapping = Record<string, string>;

export const IGNORE = "ignore";

/** Every target but custom fields, in the words a person picks them by. */
export const TARGETS: { value: string; label: string }[] = [
  { value: "first_name", label: "First name" },
  { value: "last_name", label: "Last name" },
  { value: "full_name", label: "Full name" },
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "phone:cell", label: "Cell phone" },
  { value: "phone:home", label: "Home phone" },
  { value: "phone:work", label: "Work phone" },
  { value: "phone:landline", label: "Landline" },
  { value: "street", label: "Street" },
  { value: "city", label: "City" },
  { value: "state", label: "State" },
  { value: "zip", label: "ZIP code" },
  { value: "tags", label: "Tags (split on ; or ,)" },
  { value: "notes", label: "Notes" },
  { value: "owner_user_id", label: "Owner (user id)" },
  { value: IGNORE, label: "Don't import" },
];

export const PHONE_TYPES: { value: PhoneType; label: string }[] = [
  { value: "unknown", label: "Unknown" },
  { value: "cell", label: "Cell" },
  { value: "home", label: "Home" },
  { value: "work", label: "Work" },
  { value: "landline", label: "Landline" },
];

const NAME_TARGETS = ["first_name", "last_name", "full_name"];
// A contact has one of each of these: two columns for one of them would overwrite each other.
const SINGLE_TARGETS = new Set(["first_name", "last_name", "full_name", "street", "city", "state", "zip", "notes", "owner_user_id"]);
const MAX_TAGS = 20;
const MAX_CUSTOM_NAME = 64;

const GUESSES: Record<string, string> = {
  firstname: "first_name", first: "first_name", givenname: "first_name", fname: "first_name",
  lastname: "last_name", last: "last_name", surname: "last_name", familyname: "last_name", lname: "last_name",
  name: "full_name", fullname: "full_name",
  email: "email", emailaddress: "email", mail: "email",
  phone: "phone", phonenumber: "phone", telephone: "phone", tel: "phone",
  mobile: "phone:cell", cell: "phone:cell", cellphone: "phone:cell", mobilephone: "phone:cell",
  home: "phone:home", homephone: "phone:home", work: "phone:work", workphone: "phone:work", landline: "phone:landline",
  street: "street", address: "street", streetaddress: "street", address1: "street",
  city: "city", town: "city", state: "state", province: "state",
  zip: "zip", zipcode: "zip", postcode: "zip", postalcode: "zip",
  tags: "tags", tag: "tags", labels: "tags", notes: "notes", note: "notes", comments: "notes",
};

/** The custom field a column's values go to: the header itself, made acceptable as a field name. */
export function customTarget(column: string): string | null {
  const name = column.trim().replace(/\./g, " ").replace(/^\$+/, "").trim().slice(0, MAX_CUSTOM_NAME);
  return name ? `custom:${name}` : null;
}

/** A first guess at a column's target from its header, for the person to correct. */
export function guessTarget(column: string): string {
  const key = column.toLowerCase().replace(/[^a-z0-9]/g, "");
  return GUESSES[key] ?? customTarget(column) ?? IGNORE;
}

/** The guessed mapping of a file's columns; a single-valued target goes to the first column guessed for it. */
export function initialMapping(columns: string[]): ColumnMapping {
  const taken = new Set<string>();
  const mapping: ColumnMapping = {};
  for (const column of columns) {
    let target = guessTarget(column);
    if (SINGLE_TARGETS.has(target) && taken.has(target)) target = customTarget(column) ?? IGNORE;
    taken.add(target);
    mapping[column] = target;
  }
  return mapping;
}

export function targetLabel(target: string): string {
  if (target.startsWith("custom:")) return `Custom field “${target.slice("custom:".length)}”`;
  return TARGETS.find((option) => option.value === target)?.label ?? target;
}

/** The choices offered for one column: every target, and its own custom field. */
export function targetsFor(column: string): { value: string; label: string }[] {
  const custom = customTarget(column);
  return custom ? [...TARGETS.slice(0, -1), { value: custom, label: targetLabel(custom) }, TARGETS.at(-1)!] : TARGETS;
}

/** Tags typed as "Volunteers, 2026 Spring": trimmed, without repeats (case-insensitive). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(",")) {
    const tag = raw.trim().replace(/\s+/g, " ");
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

export type MappingProblem = { field: string; problem: string };

/** What stops this mapping from starting, at the field it concerns ("columns.<name>", "columns", "tags"). */
export function mappingProblems(mapping: ColumnMapping, tags: string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const targets = Object.values(mapping);
  if (!targets.some((target) => NAME_TARGETS.includes(target))) {
    problems.push({ field: "columns", problem: "map at least one column to First name, Last name or Full name" });
  }
  const firstColumn = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) {
    if (!SINGLE_TARGETS.has(target)) continue;
    const earlier = firstColumn.get(target);
    if (earlier === undefined) firstColumn.set(target, column);
    else problems.push({ field: `columns.${column}`, problem: `${targetLabel(target)} is already filled from “${earlier}”` });
  }
  if (tags.length > MAX_TAGS) problems.push({ field: "tags", problem: `at most ${MAX_TAGS} tags` });
  return problems;
}

export function importOptions(mapping: ColumnMapping, tags: string[], defaultPhoneType: PhoneType): ImportOptions {
  return { columns: { ...mapping }, tags, default_phone_type: defaultPhoneType };
}

/** Where the API's field of a problem ("columns.Email", "body.tags.2") shows in the mapping step. */
export function problemPlace(field: string): string {
  const path = field.replace(/^body\./, "");
  if (path.startsWith("columns.")) return path;
  if (path.startsWith("tags")) return "tags";
  if (path.startsWith("default_phone_type")) return "default_phone_type";
  return "columns";
}
