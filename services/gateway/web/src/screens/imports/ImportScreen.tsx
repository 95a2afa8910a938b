// One import at /imports/:importId: its mapping step until it is started, then its progress.
import { Link, useParams } from "react-router";
import { ApiProblem } from "../../api/problems";
import { fullTime, timeAgo } from "../../format/time";
import { ImportProgress } from "./ImportProgress";
import { MappingStep } from "./MappingStep";
import { useImport } from "./queries";
import "../screen-parts.css";
import "./imports.css";

function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ImportScreen() {
  const { importId = "" } = useParams();
  const job = useImport(importId);
  return (
    <section className="imports ops-screen" aria-labelledby="import-title">
      <nav aria-label="Breadcrumb" className="breadcrumb"><Link to="/imports">Imports</Link></nav>
      {job.isPending ? (
        <div role="status" aria-label="Loading the import">
          <div className="skeleton-line wide" />
          <div className="skeleton-block" />
        </div>
      ) : job.isError ? (
        <div className="grid-state error" role="alert">
          <h1 id="import-title">Import not available</h1>
          <p>{job.error instanceof ApiProblem && job.error.status === 404 ? "This import does not exist in your account." : job.error.message}</p>
          <button type="button" onClick={() => job.refetch()}>Try again</button>
        </div>
      ) : (
        <>
          <div className="screen-header">
            <h1 id="import-title">{job.data.filename}</h1>
            <span className="muted">
              {sizeWords(job.data.size)}, {job.data.columns.length} columns, uploaded{" "}
              <time dateTime={job.data.created_at} title={fullTime(job.data.created_at)}>{timeAgo(job.data.created_at)}</time>
            </span>
          </div>
          <ol className="steps" aria-label="Import steps">
            <li className="done">Upload</li>
            <li className={job.data.status === "uploaded" ? "current" : "done"} aria-current={job.data.status === "uploaded" ? "step" : undefined}>Map columns</li>
            <li className={job.data.status === "uploaded" ? "" : job.data.status === "completed" ? "done" : "current"}
              aria-current={job.data.status === "uploaded" || job.data.status === "completed" ? undefined : "step"}>Import</li>
          </ol>
          {job.data.status === "uploaded" ? <MappingStep job={job.data} /> : <ImportProgress job={job.data} />}
        </>
      )}
    </section>
  );
}
