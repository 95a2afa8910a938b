// How far an import has got, in numbers and in words, from the job GET /api/imports/{id} answers.
import type { Schemas } from "../../api/client";

export type ImportJob = Schemas["ImportPublic"];

export const STATUS_WORDS: Record<string, string> = {
  uploaded: "Waiting for its columns to be mapped",
  queued: "Queued",
  running: "Importing",
  completed: "Finished",
};

export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

export function isFinished(job: Pick<ImportJob, "status">): boolean {
  return job.status === "completed";
}

/** Whether the job still moves on its own (worth asking about again). */
export function isUnderway(job: Pick<ImportJob, "status">): boolean {
  return job.status === "queued" || job.status === "running";
}

export type Progress = {
  /** Rows created, merged or failed so far. */
  landed: number;
  /** 0–100 when the file's row count is known (or the import has finished), else null: the bar is indeterminate. */
  percent: number | null;
  /** "120 of 500 rows read", or "120 rows read" without a known total. */
  summary: string;
};

function rows(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? "row" : "rows"}`;
}

export function importProgress(job: ImportJob, totalRows?: number | null): Progress {
  const landed = job.created + job.merged + job.failed;
  const read = Math.max(job.rows_read, landed);
  let percent: number | null = null;
  if (isFinished(job)) percent = 100;
  else if (totalRows && totalRows > 0) percent = Math.min(99, Math.floor((read / totalRows) * 100));
  else if (totalRows === 0) percent = 0;
  const known = totalRows && totalRows > 0 && !isFinished(job);
  const summary = known ? `${read.toLocaleString()} of ${rows(totalRows)} read` : `${rows(read)} read`;
  return { landed, percent, summary };
}

/** The sentence for the finished import's outcome. */
export function outcome(job: ImportJob): string {
  const parts = [`${job.created.toLocaleString()} created`, `${job.merged.toLocaleString()} merged into existing contacts`];
  parts.push(job.failed ? `${rows(job.failed)} failed` : "no row failed");
  return parts.join(", ");
}
