import { ApiProblem } from "../../api/problems";

/** A 422's problems by form field ("body.primary_cell" → "primary_cell"); the rest as one sentence. */
export function problemsByField(error: Error | null): { fields: Record<string, string>; other: string | null } {
  if (!error) return { fields: {}, other: null };
  if (!(error instanceof ApiProblem) || !error.fieldProblems().length) return { fields: {}, other: error.message };
  const fields: Record<string, string> = {};
  for (const { field, problem } of error.fieldProblems()) {
    const name = field.replace(/^body\./, "");
    fields[name] = fields[name] ? `${fields[name]}; ${problem}` : problem;
  }
  return { fields, other: null };
}
