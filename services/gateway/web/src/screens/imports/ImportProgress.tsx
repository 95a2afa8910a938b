// Step three: the import's live progress (rows read, created, merged, failed) and, once it has
// finished, its error report.
import { useState } from "react";
import { Link } from "react-router";
import { fullTime, timeAgo } from "../../format/time";
import { importProgress, isFinished, outcome, statusWords, type ImportJob } from "./progress";
import { downloadErrorReport } from "./queries";
import { useUploadedFile } from "./uploaded";

function ErrorReport({ job }: { job: ImportJob }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    setProblem(null);
    await downloadErrorReport(job).catch((error: Error) => setProblem(`The error report could not be downloaded: ${error.message}`));
    setBusy(false);
  }
  return (
    <div className="error-report">
      <button type="button" onClick={download} disabled={busy}>
        Download the error report ({job.failed.toLocaleString()} failed {job.failed === 1 ? "row" : "rows"})
      </button>
      <p className="muted small">Each failed row with its line number, the reason and its values.</p>
      {problem && <p className="form-error" role="alert">{problem}</p>}
    </div>
  );
}

export function ImportProgress({ job }: { job: ImportJob }) {
  const { totalRows } = useUploadedFile(job.id);
  const progress = importProgress(job, totalRows);
  const finished = isFinished(job);
  const facts: [string, number][] = [["Read", Math.max(job.rows_read, progress.landed)], ["Created", job.created], ["Merged", job.merged], ["Failed", job.failed]];
  return (
    <section className="import-progress" aria-labelledby="progress-title">
      <h2 id="progress-title">{statusWords(job.status)}</h2>
      <progress aria-label="Import progress" max={100} value={progress.percent ?? undefined}
        aria-valuetext={progress.percent === null ? progress.summary : `${progress.percent}%, ${progress.summary}`} />
      <p role="status" className="progress-summary">
        {finished ? `Finished: ${outcome(job)}.` : `${progress.summary}${progress.percent !== null ? ` (${progress.percent}%)` : ""}`}
      </p>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} className={label === "Failed" && value ? "fact failed" : "fact"}>
            <dt>{label}</dt>
            <dd data-testid={`import-${label.toLowerCase()}`}>{value.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {finished && job.finished_at && (
        <p className="muted">Finished <time dateTime={job.finished_at} title={fullTime(job.finished_at)}>{timeAgo(job.finished_at)}</time></p>
      )}
      {finished && job.failed > 0 && <ErrorReport job={job} />}
      {finished && <Link to="/imports">Import another file</Link>}
    </section>
  );
}
