// The review step (and the read-only view once submitted): every answer, by step.
import { Fragment } from "react";
import { STEPS, type Draft, type StepId } from "./steps";

export function Review({ draft, onEdit }: { draft: Draft; onEdit?: (step: StepId) => void }) {
  const samples = draft.sample_messages.filter((sample) => sample.trim());
  return (
    <div className="review">
      {STEPS.slice(0, 2).map((step) => (
        <section key={step.id} aria-labelledby={`review-${step.id}`}>
          <div className="review-head">
            <h3 id={`review-${step.id}`}>{step.title}</h3>
            {onEdit && <button type="button" className="link-button" onClick={() => onEdit(step.id)}>Edit {step.title.toLowerCase()}</button>}
          </div>
          <dl className="details">
            {step.fields.map((field) => (
              <Fragment key={field.name}>
                <dt>{field.label}</dt>
                <dd>{(field.options?.find((option) => option.value === draft[field.name])?.label ?? draft[field.name]) || <span className="muted">Not given</span>}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ))}
      <section aria-labelledby="review-samples">
        <div className="review-head">
          <h3 id="review-samples">Sample messages</h3>
          {onEdit && <button type="button" className="link-button" onClick={() => onEdit("samples")}>Edit sample messages</button>}
        </div>
        {samples.length ? <ol className="sample-list">{samples.map((sample, index) => <li key={index}>{sample}</li>)}</ol>
          : <p className="muted">No sample messages yet.</p>}
      </section>
    </div>
  );
}
