// Step two of an import: each column of the file beside its first values, mapped to a contact
// field; tags for every row; the phone type when a column does not say. Starting it queues the job.
import { useId, useState, type FormEvent } from "react";
import { ApiProblem } from "../../api/problems";
import {
  importOptions, initialMapping, mappingProblems, parseTags, PHONE_TYPES, problemPlace, targetsFor,
  type ColumnMapping, type MappingProblem, type PhoneType,
} from "./mapping";
import { samplesByColumn } from "./preview";
import type { ImportJob } from "./progress";
import { useStart } from "./queries";
import { useUploadedFile } from "./uploaded";

function problemsAt(problems: MappingProblem[], place: string): string[] {
  return problems.filter((problem) => problemPlace(problem.field) === place).map((problem) => problem.problem);
}

function ColumnRow({ column, index, target, samples, problems, onChange }: {
  column: string; index: number; target: string; samples: string[]; problems: string[]; onChange: (target: string) => void;
}) {
  const id = `column-${index}`;
  return (
    <tr className={problems.length ? "invalid" : undefined}>
      <th scope="row"><label htmlFor={id}>{column || <em>(no header)</em>}</label></th>
      <td>
        <select id={id} value={target} onChange={(event) => onChange(event.target.value)}
          aria-invalid={problems.length > 0} aria-describedby={problems.length ? `${id}-problem` : undefined}>
          {targetsFor(column).map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
        {problems.length > 0 && <div id={`${id}-problem`} className="field-problem">{problems.join("; ")}</div>}
      </td>
      <td className="samples">
        {samples.length ? samples.map((value, row) => <div key={row} title={value}>{value || <span className="muted">(empty)</span>}</div>)
          : <span className="muted">—</span>}
      </td>
    </tr>
  );
}

export function MappingStep({ job }: { job: ImportJob }) {
  const file = useUploadedFile(job.id);
  const [mapping, setMapping] = useState<ColumnMapping>(() => initialMapping(job.columns));
  const [tagText, setTagText] = useState("");
  const [phoneType, setPhoneType] = useState<PhoneType>("unknown");
  const [shown, setShown] = useState<MappingProblem[]>([]);
  const start = useStart(job.id);
  const samples = samplesByColumn(job.columns, file.preview);
  const tags = parseTags(tagText);
  const ids = { tags: useId(), phone: useId(), general: useId() };

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = mappingProblems(mapping, tags);
    setShown(found);
    if (found.length) return;
    start.mutate(importOptions(mapping, tags, phoneType), {
      onError: (error) => error instanceof ApiProblem && setShown(error.fieldProblems()),
    });
  }

  const general = problemsAt(shown, "columns");
  const tagProblems = problemsAt(shown, "tags");
  return (
    <form className="mapping" onSubmit={submit} noValidate aria-describedby={general.length ? ids.general : undefined}>
      <h2>Map the columns</h2>
      <p className="muted">
        Choose the contact field each column fills. A row whose phone or email matches an existing contact is merged into it.
        {!file.preview && " The file's first rows are shown only in the browser that uploaded it."}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Columns of the file">
        <table className="plain-table mapping-table">
          <thead>
            <tr><th scope="col">Column</th><th scope="col">Contact field</th><th scope="col">First rows</th></tr>
          </thead>
          <tbody>
            {job.columns.map((column, index) => (
              <ColumnRow key={column} column={column} index={index} target={mapping[column]} samples={samples[column]}
                problems={problemsAt(shown, `columns.${column}`)} onChange={(target) => setMapping({ ...mapping, [column]: target })} />
            ))}
          </tbody>
        </table>
      </div>
      {general.length > 0 && <p id={ids.general} className="form-error" role="alert">{general.join("\n")}</p>}
      <div className="mapping-options">
        <div className="field">
          <label htmlFor={ids.tags}>Tags added to every contact</label>
          <input id={ids.tags} value={tagText} onChange={(event) => setTagText(event.target.value)} placeholder="e.g. Volunteers, Spring 2026"
            aria-invalid={tagProblems.length > 0} aria-describedby={`${ids.tags}-hint`} />
          <small id={`${ids.tags}-hint`}>
            {tagProblems.length ? <span className="field-problem">{tagProblems.join("; ")}</span> : "Separate tags with commas."}
          </small>
          {tags.length > 0 && (
            <ul className="chips" aria-label="Tags to add">
              {tags.map((tag) => <li key={tag} className="chip plain">{tag}</li>)}
            </ul>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.phone}>Phone type when the column does not say</label>
          <select id={ids.phone} value={phoneType} onChange={(event) => setPhoneType(event.target.value as PhoneType)}>
            {PHONE_TYPES.map((type) => <option key={type.value} value={type.value}>{type.label}</option>)}
          </select>
        </div>
      </div>
      {start.isError && !(start.error instanceof ApiProblem && start.error.fieldProblems().length) && (
        <p className="form-error" role="alert">The import did not start: {start.error.message}</p>
      )}
      <button type="submit" className="primary" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start import"}
      </button>
    </form>
  );
}
