// The owner's registration form, one step at a time (the step is in the URL): each "Continue"
// saves the draft; submitting runs the API's pre-check, whose problems show at their fields.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { ApiProblem, type FieldProblem } from "../../api/problems";
import { FieldInput } from "./FieldInput";
import { useSaveDraft, useSubmit } from "./queries";
import { Review } from "./Review";
import { Samples } from "./Samples";
import { draftOf, firstStepWithProblems, problemCount, problemsAt, stepIndex, STEPS, toWrite, type Draft, type Registration, type StepId } from "./steps";

/** The field problems of a refusal: the pre-check's list, or a validation error's locations. */
function fieldProblemsOf(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiProblem)) return [];
  if (error.fieldProblems().length) return error.fieldProblems();
  const detail = error.body?.detail;
  return Array.isArray(detail) ? detail.map((item) => ({ field: (item.loc ?? []).join("."), problem: item.msg })) : [];
}

export function GuidedForm({ registration }: { registration: Registration | null }) {
  const [params, setParams] = useSearchParams();
  const step = STEPS[stepIndex(params.get("step"))];
  const [draft, setDraft] = useState<Draft>(() => draftOf(registration));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const save = useSaveDraft();
  const submit = useSubmit();
  const heading = useRef<HTMLHeadingElement>(null);
  const body = useRef<HTMLDivElement>(null);
  // The step whose first field with a problem takes the focus once it shows (after a refusal).
  const focusProblemOn = useRef<StepId | null>(null);

  useEffect(() => {
    const invalid = focusProblemOn.current === step.id ? body.current?.querySelector<HTMLElement>("[aria-invalid='true']") : null;
    if (invalid) focusProblemOn.current = null;
    (invalid ?? heading.current)?.focus();
  }, [step.id, problems]);

  const goTo = (id: StepId) => setParams((current) => { const next = new URLSearchParams(current); next.set("step", id); return next; });
  const set = (name: keyof Draft, value: string | string[]) => setDraft((current) => ({ ...current, [name]: value }));

  function refused(error: unknown, what: string) {
    const found = fieldProblemsOf(error);
    setProblems(found);
    setRefusal(`${what}: ${error instanceof Error ? error.message.split("\n")[0] : "try again"}`);
    const first = firstStepWithProblems(found);
    focusProblemOn.current = first;
    if (first) goTo(first);
  }

  async function saved(): Promise<boolean> {
    setRefusal(null);
    try {
      await save.mutateAsync(toWrite(draft));
      return true;
    } catch (error) {
      refused(error, "The draft was not saved");
      return false;
    }
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!(await saved())) return;
    if (step.id !== "review") return goTo(STEPS[stepIndex(step.id) + 1].id);
    try {
      await submit.mutateAsync();
      setProblems([]);
    } catch (error) {
      refused(error, "The registration was not submitted");
    }
  }

  const index = stepIndex(step.id);
  const busy = save.isPending || submit.isPending;
  return (
    <form className="guided" onSubmit={onSubmit} noValidate>
      <ol className="steps" aria-label="Registration form steps">
        {STEPS.map((candidate, at) => {
          const count = problemCount(problems, candidate.id);
          return (
            <li key={candidate.id} className={candidate.id === step.id ? "current" : count ? "failed" : at < index ? "done" : ""}
              aria-current={candidate.id === step.id ? "step" : undefined}>
              <button type="button" onClick={() => goTo(candidate.id)}>
                {candidate.title}
                {count > 0 && <span className="problem-count">{` (${count} ${count === 1 ? "problem" : "problems"})`}</span>}
              </button>
            </li>
          );
        })}
      </ol>
      <div className="card" ref={body}>
        <h2 ref={heading} tabIndex={-1}>{index + 1}. {step.title}</h2>
        {refusal && <p className="notice error" role="alert">{refusal}</p>}
        {step.fields.map((field) => (
          <FieldInput key={field.name} field={field} value={draft[field.name]} problems={problemsAt(problems, field.name)}
            onChange={(value) => set(field.name, value)} />
        ))}
        {step.id === "samples" && <Samples samples={draft.sample_messages} problems={problems} onChange={(samples) => set("sample_messages", samples)} />}
        {step.id === "review" && (
          <>
            <p>Check the details. Submitting checks them the way carriers do before anything is sent to them.</p>
            {problemsAt(problems, "review").length > 0 && <p className="field-problem">{problemsAt(problems, "review").join("; ")}</p>}
            <Review draft={draft} onEdit={goTo} />
          </>
        )}
        <div className="actions">
          {index > 0 && <button type="button" onClick={() => goTo(STEPS[index - 1].id)} disabled={busy}>Back</button>}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : step.id === "review" ? "Submit for review" : "Save and continue"}
          </button>
          <span role="status" className="muted">{save.isSuccess && !busy && !refusal ? "Draft saved" : ""}</span>
        </div>
      </div>
    </form>
  );
}
