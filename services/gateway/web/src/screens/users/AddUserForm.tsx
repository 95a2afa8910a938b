import { useId, useState, type FormEvent, type ReactNode } from "react";
import type { Me } from "../../session/me";
import { checkCell, formatAsTyped } from "./cell";
import { problemsByField } from "./fieldProblems";
import { useAddUser, type NewUser } from "./queries";

const ROLE_WORDS = { owner: "Owner", admin: "Admin", texter: "Texter" } as const;
type Role = keyof typeof ROLE_WORDS;

function Field({ label, problem, hint, children }: { label: string; problem?: string; hint?: string; children: (props: { id: string; describedBy?: string; invalid: boolean }) => ReactNode }) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy: problem || hint ? noteId : undefined, invalid: Boolean(problem) })}
      {problem ? <small id={noteId} className="field-problem">{problem}</small> : hint && <small id={noteId}>{hint}</small>}
    </div>
  );
}

export function AddUserForm({ me, onAdded }: { me: Me; onAdded: (name: string) => void }) {
  const [draft, setDraft] = useState({ name: "", email: "", password: "", role: "texter" as Role, cell: "" });
  const [cellProblem, setCellProblem] = useState<string | null>(null);
  const add = useAddUser();
  const refused = problemsByField(add.error);
  const set = (name: keyof typeof draft, value: string) => setDraft((current) => ({ ...current, [name]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const cell = checkCell(draft.cell);
    setCellProblem(cell.problem);
    if (cell.problem) return;
    const user: NewUser = { name: draft.name.trim(), email: draft.email.trim(), password: draft.password, role: draft.role, primary_cell: cell.e164 };
    add.mutate(user, {
      onSuccess: (added) => {
        setDraft({ name: "", email: "", password: "", role: "texter", cell: "" });
        onAdded(added.name);
      },
    });
  }

  const roles = (Object.keys(ROLE_WORDS) as Role[]).filter((role) => role !== "owner" || me.role === "owner");
  return (
    <form className="add-user" onSubmit={submit} aria-labelledby="add-user-title" noValidate>
      <h2 id="add-user-title">Add a user</h2>
      <div className="form-grid">
        <Field label="Name" problem={refused.fields.name}>
          {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} required maxLength={200} autoComplete="off"
            value={draft.name} onChange={(event) => set("name", event.target.value)} />}
        </Field>
        <Field label="Email" problem={refused.fields.email}>
          {(f) => <input id={f.id} type="email" aria-describedby={f.describedBy} aria-invalid={f.invalid} required maxLength={254} autoComplete="off"
            value={draft.email} onChange={(event) => set("email", event.target.value)} />}
        </Field>
        <Field label="Password" problem={refused.fields.password} hint="12 to 128 characters, hard to guess; tell it to them yourself">
          {(f) => <input id={f.id} type="password" aria-describedby={f.describedBy} aria-invalid={f.invalid} required minLength={12} maxLength={128}
            autoComplete="new-password" value={draft.password} onChange={(event) => set("password", event.target.value)} />}
        </Field>
        <Field label="Role" problem={refused.fields.role}>
          {(f) => (
            <select id={f.id} aria-describedby={f.describedBy} value={draft.role} onChange={(event) => set("role", event.target.value)}>
              {roles.map((role) => <option key={role} value={role}>{ROLE_WORDS[role]}</option>)}
            </select>
          )}
        </Field>
        <Field label="Primary cell" problem={cellProblem ?? refused.fields.primary_cell} hint="Their texting number is bought in its area code">
          {(f) => <input id={f.id} type="tel" aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={40} autoComplete="off"
            value={draft.cell} onChange={(event) => set("cell", formatAsTyped(event.target.value))}
            onBlur={() => setCellProblem(checkCell(draft.cell).problem)} />}
        </Field>
      </div>
      {refused.other && <p className="form-error" role="alert">Could not add them: {refused.other}</p>}
      <button type="submit" className="primary" disabled={add.isPending}>{add.isPending ? "Adding…" : "Add user"}</button>
    </form>
  );
}

export { ROLE_WORDS, type Role };
