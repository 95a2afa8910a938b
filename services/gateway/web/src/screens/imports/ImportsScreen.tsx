// Imports: drop or choose a CSV file (uploaded at once, then mapped on its own screen), and
// the account's past imports with their state.
import { useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { fullTime, timeAgo } from "../../format/time";
import { DropZone } from "./DropZone";
import { countRows, previewRows } from "./preview";
import { isUnderway, statusWords, type ImportJob } from "./progress";
import { useImports, useUpload } from "./queries";
import { rememberFile } from "./uploaded";
import "../screen-parts.css";
import "./imports.css";
import { LoadFailed } from "../../components/LoadFailed";

function StatePill({ job }: { job: ImportJob }) {
  const tone = job.status === "completed" ? (job.failed ? "warn" : "ok") : job.status === "uploaded" ? "" : "info";
  return (
    <span className={`pill ${tone}`}>
      {isUnderway(job) && <span className="spinner" aria-hidden="true" />} {statusWords(job.status)}
    </span>
  );
}

function PastImports() {
  const imports = useImports();
  if (imports.isPending)
    return (
      <div className="skeleton-list" role="status" aria-label="Loading past imports">
        {[0, 1, 2].map((row) => <div key={row} className="skeleton-line" />)}
      </div>
    );
  if (imports.isError)
    return (
      <LoadFailed className="grid-state" what="The past imports" error={imports.error} onRetry={() => imports.refetch()} />
    );
  if (!imports.data.length) return <p className="grid-state">No imports yet. The files you import show here with how they went.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Past imports">
      <table className="plain-table">
        <thead>
          <tr><th scope="col">File</th><th scope="col">Uploaded</th><th scope="col">State</th>
            <th scope="col">Read</th><th scope="col">Created</th><th scope="col">Merged</th><th scope="col">Failed</th></tr>
        </thead>
        <tbody>
          {imports.data.map((job) => (
            <tr key={job.id}>
              <th scope="row">
                <Link to={`/imports/${encodeURIComponent(job.id)}`}>
                  {job.filename}
                  <span className="visually-hidden">{job.status === "uploaded" ? ", map its columns" : ", see how it went"}</span>
                </Link>
              </th>
              <td><time dateTime={job.created_at} title={fullTime(job.created_at)}>{timeAgo(job.created_at)}</time></td>
              <td><StatePill job={job} /></td>
              <td className="number">{job.rows_read.toLocaleString()}</td>
              <td className="number">{job.created.toLocaleString()}</td>
              <td className="number">{job.merged.toLocaleString()}</td>
              <td className="number">{job.failed.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ImportsScreen() {
  const upload = useUpload();
  const client = useQueryClient();
  const navigate = useNavigate();

  async function send(file: File) {
    const preview = previewRows(file).catch(() => undefined);
    const job = await upload.mutateAsync(file).catch(() => null);
    if (!job) return;
    rememberFile(client, job.id, { preview: await preview });
    navigate(`/imports/${encodeURIComponent(job.id)}`);
    countRows(file).then((totalRows) => rememberFile(client, job.id, { totalRows }), () => undefined);
  }

  return (
    <section className="imports ops-screen" aria-labelledby="imports-title">
      <div className="screen-header">
        <h1 id="imports-title">Imports</h1>
      </div>
      <DropZone onFile={send} busy={upload.isPending} />
      {upload.isError && (
        <p className="form-error" role="alert">The file was not uploaded: {upload.error.message}</p>
      )}
      <h2>Past imports</h2>
      <PastImports />
    </section>
  );
}
