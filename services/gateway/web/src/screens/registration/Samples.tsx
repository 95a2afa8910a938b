// The sample messages step: two to five texts as the campaign will send them.
import { MAX_SAMPLES, MIN_SAMPLES, problemsAt } from "./steps";
import type { FieldProblem } from "../../api/problems";

export function Samples({ samples, problems, onChange }: { samples: string[]; problems: FieldProblem[]; onChange: (samples: string[]) => void }) {
  const overall = problemsAt(problems, "sample_messages");
  const set = (index: number, value: string) => onChange(samples.map((sample, at) => (at === index ? value : sample)));
  return (
    <fieldset className="samples" aria-describedby={overall.length ? "samples-hint samples-problem" : "samples-hint"}>
      <legend className="visually-hidden">Sample messages</legend>
      <p id="samples-hint" className="muted">
        {MIN_SAMPLES} to {MAX_SAMPLES} texts as the campaign sends them, 20 to 1024 characters each. At least one says how to opt out, e.g. “Reply STOP to opt out”.
      </p>
      {overall.length > 0 && <p id="samples-problem" className="field-problem">{overall.join("; ")}</p>}
      {samples.map((sample, index) => {
        const own = problemsAt(problems, `sample_messages.${index}`);
        const id = `registration-sample-${index}`;
        return (
          <div key={index} className={own.length ? "field invalid" : "field"}>
            <label htmlFor={id}>Sample message {index + 1}</label>
            <textarea id={id} rows={2} value={sample} aria-invalid={own.length > 0} aria-describedby={own.length ? `${id}-problem` : undefined}
              onChange={(event) => set(index, event.target.value)} />
            <div className="sample-foot">
              <small className="muted">{sample.trim().length} characters</small>
              {samples.length > MIN_SAMPLES && (
                <button type="button" className="link-button" onClick={() => onChange(samples.filter((_, at) => at !== index))}>
                  Remove sample {index + 1}
                </button>
              )}
            </div>
            {own.length > 0 && <div id={`${id}-problem`} className="field-problem">{own.join("; ")}</div>}
          </div>
        );
      })}
      {samples.length < MAX_SAMPLES && (
        <button type="button" onClick={() => onChange([...samples, ""])}>Add a sample message</button>
      )}
    </fieldset>
  );
}
