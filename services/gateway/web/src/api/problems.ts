// Every error shape the services answer with, as sentences for the person reading them.

export type FieldProblem = { field: string; problem: string };
type ProblemBody = {
  detail?: string | { loc?: (string | number)[]; msg: string }[];
  errors?: FieldProblem[];
  skipped?: { phone_id: string; reason: string }[];
};

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: ProblemBody | undefined,
  ) {
    super(describeProblem(status, body));
  }

  fieldProblems(): FieldProblem[] {
    return this.body?.errors ?? [];
  }
}

export function describeProblem(status: number, body: ProblemBody | undefined): string {
  const lines: string[] = [];
  if (typeof body?.detail === "string") lines.push(body.detail);
  if (Array.isArray(body?.detail)) {
    for (const item of body.detail) lines.push(`${(item.loc ?? []).join(".")}: ${item.msg}`);
  }
  for (const item of body?.errors ?? []) lines.push(`${item.field}: ${item.problem}`);
  if (!lines.length) lines.push(status >= 500 ? "The server could not answer; try again" : `Refused (${status})`);
  return lines.join("\n");
}

/** The data of an openapi-fetch answer, or an ApiProblem thrown with the API's words. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiProblem(response.status, error as ProblemBody | undefined);
  return data as T;
}
