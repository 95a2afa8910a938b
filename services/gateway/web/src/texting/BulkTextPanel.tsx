// Texting a selection: who would be texted and who skipped (and why) first, then the bulk
// job's live progress with cancel.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Schemas } from "../api/client";
import { unwrap } from "../api/problems";
import { Composer } from "./Composer";
import { ScheduledList } from "./Scheduled";
import type { Audience } from "./send";
import { skipWords } from "./words";

type Job = Schemas["BulkSendPublic"];
type Selection = Exclude<Audience, { contactId: string }>;
const PROGRESS_REFETCH_MS = 2000;
const OVER = new Set(["completed", "cancelled"]);

function selectionBody(selection: Selection) {
  return "filter" in selection ? { selection: { filter: selection.filter } } : { contact_ids: selection.contactIds };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

function useRecipients(selection: Selection) {
  return useQuery({
    queryKey: ["texting", "bulk-preview", selection],
    queryFn: () => unwrap(api.POST("/api/bulk-sends/preview", { body: selectionBody(selection) })),
  });
}

function Skipped({ skipped }: { skipped: Record<string, number> }) {
  const reasons = Object.entries(skipped).filter(([, count]) => count > 0);
  if (!reasons.length) return null;
  return (
    <ul className="skipped" aria-label="Skipped">
      {reasons.map(([reason, count]) => <li key={reason}>{plural(count, "phone")} skipped: {skipWords(reason)}</li>)}
    </ul>
  );
}

function Recipients({ selection }: { selection: Selection }) {
  const recipients = useRecipients(selection);
  if (recipients.isPending) return <p className="muted" role="status">Counting who can be texted…</p>;
  if (recipients.isError) return <p className="error" role="alert">{recipients.error.message}</p>;
  const found = recipients.data;
  const left = found.contacts - found.texted_contacts;
  return (
    <div className="recipients" data-testid="bulk-recipients">
      <p>
        <strong>{plural(found.texted_contacts, "person", "people")}</strong> will be texted ({plural(found.messages, "text")})
        {left > 0 && <>; {plural(left, "person", "people")} cannot be</>}.
      </p>
      <Skipped skipped={found.skipped} />
      {found.warnings.map((warning) => <p key={warning} className="warning">{warning}</p>)}
    </div>
  );
}

function useJob(initial: Job) {
  return useQuery({
    queryKey: ["texting", "bulk-job", initial.job_id],
    queryFn: () => unwrap(api.GET("/api/bulk-sends/{job_id}", { params: { path: { job_id: initial.job_id } } })),
    initialData: initial,
    // Receipts keep arriving after the last text went out: follow until every sent one is answered.
    refetchInterval: (query) => {
      const job = query.state.data;
      return job && OVER.has(job.status) && job.sent <= job.delivered + job.failed ? false : PROGRESS_REFETCH_MS;
    },
  });
}

const STATUS_WORDS: Record<string, string> = {
  enqueuing: "Queuing the texts…", sending: "Sending", completed: "Done", cancelling: "Cancelling…", cancelled: "Cancelled",
};

export function JobProgress({ initial }: { initial: Job }) {
  const job = useJob(initial).data;
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST("/api/bulk-sends/{job_id}/cancel", { params: { path: { job_id: job.job_id } } })),
    onSuccess: (cancelled) => client.setQueryData(["texting", "bulk-job", job.job_id], cancelled),
  });
  const handled = job.total - job.queued;
  return (
    <section className="job-progress" aria-label="Bulk send progress" data-testid="bulk-progress">
      <p><strong data-testid="bulk-status">{STATUS_WORDS[job.status] ?? job.status}</strong>: {plural(job.contacts, "person", "people")}, {plural(job.total, "text")}</p>
      <progress max={Math.max(job.total, 1)} value={handled} aria-label={`${handled} of ${job.total} handled`} />
      <dl className="job-counts">
        {([["Queued", job.queued], ["Sent", job.sent], ["Delivered", job.delivered], ["Failed", job.failed], ["Cancelled", job.cancelled]] as const).map(([label, value]) => (
          <div key={label}><dt>{label}</dt><dd data-testid={`bulk-${label.toLowerCase()}`}>{value.toLocaleString()}</dd></div>
        ))}
      </dl>
      <Skipped skipped={job.skipped} />
      {!OVER.has(job.status) && job.status !== "cancelling" && (
        <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>Cancel the rest</button>
      )}
      {cancel.isError && <p className="error" role="alert">{cancel.error.message}</p>}
    </section>
  );
}

export function BulkTextPanel({ selection, count }: { selection: Selection; count: number }) {
  const [job, setJob] = useState<Job | null>(null);
  return (
    <div className="text-panel">
      <Recipients selection={selection} />
      {job && <JobProgress key={job.job_id} initial={job} />}
      <ScheduledList />
      <Composer audience={selection} recipients={count} onSent={(outcome) => outcome.kind === "bulk" && setJob(outcome.job)} />
    </div>
  );
}
