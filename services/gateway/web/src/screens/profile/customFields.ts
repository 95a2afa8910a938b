// Custom fields keep their JSON type; the input for each follows it (a "YYYY-MM-DD" text is a date).
export type FieldValue = string | number | boolean | null;
export type FieldKind = "text" | "number" | "date" | "boolean";

export const FIELD_KINDS: { kind: FieldKind; label: string }[] = [
  { kind: "text", label: "Text" },
  { kind: "number", label: "Number" },
  { kind: "date", label: "Date" },
  { kind: "boolean", label: "Yes / no" },
];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function kindOf(value: FieldValue): FieldKind {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  if (typeof value === "string" && ISO_DATE.test(value)) return "date";
  return "text";
}

/** The value an input's text stands for, or a problem in words. */
export function parseField(kind: FieldKind, raw: string | boolean): { value: FieldValue } | { problem: string } {
  if (kind === "boolean") return { value: Boolean(raw) };
  const text = String(raw).trim();
  if (kind === "number") {
    if (!text) return { problem: "needs a number" };
    const number = Number(text);
    return Number.isFinite(number) ? { value: number } : { problem: `"${text}" is not a number` };
  }
  if (kind === "date") {
    if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(text))) return { problem: "needs a date" };
    return { value: text };
  }
  if (text.length > 1000) return { problem: "is longer than 1,000 characters" };
  return { value: text };
}
