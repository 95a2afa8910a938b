// The contact's custom fields, each edited with the input its type calls for.
import { useState, type FormEvent } from "react";
import type { Contact } from "../../tags/useTagShortcut";
import { FIELD_KINDS, kindOf, parseField, type FieldKind, type FieldValue } from "./customFields";
import { useEditContact } from "./queries";

function FieldInput({ id, kind, value, name }: { id: string; kind: FieldKind; value: FieldValue; name: string }) {
  if (kind === "boolean") return <input id={id} name={name} type="checkbox" defaultChecked={value === true} />;
  const type = kind === "number" ? "number" : kind === "date" ? "date" : "text";
  return <input id={id} name={name} type={type} step={kind === "number" ? "any" : undefined} defaultValue={value === null ? "" : String(value)} maxLength={kind === "text" ? 1000 : undefined} />;
}

function readField(form: FormData, name: string, kind: FieldKind) {
  return parseField(kind, kind === "boolean" ? form.get(name) === "on" : String(form.get(name) ?? ""));
}

function NewField({ onAdd, busy }: { onAdd: (name: string, value: FieldValue) => void; busy: boolean }) {
  const [kind, setKind] = useState<FieldKind>("text");
  const [problem, setProblem] = useState<string | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("field-name") ?? "").trim();
    if (!name || name.length > 64) return setProblem("A field needs a name of at most 64 characters.");
    const parsed = readField(form, "field-value", kind);
    if ("problem" in parsed) return setProblem(`${name} ${parsed.problem}.`);
    setProblem(null);
    onAdd(name, parsed.value);
    event.currentTarget.reset();
  }
  return (
    <form className="new-field" onSubmit={submit} noValidate>
      <label className="field"><span>New field</span><input name="field-name" maxLength={64} /></label>
      <label className="field">
        <span>Type</span>
        <select value={kind} onChange={(event) => setKind(event.target.value as FieldKind)}>
          {FIELD_KINDS.map((option) => <option key={option.kind} value={option.kind}>{option.label}</option>)}
        </select>
      </label>
      <div className="field">
        <label htmlFor="new-field-value">Value</label>
        <FieldInput key={kind} id="new-field-value" kind={kind} value={null} name="field-value" />
      </div>
      <button type="submit" disabled={busy}>Add field</button>
      {problem && <p className="form-error" role="alert">{problem}</p>}
    </form>
  );
}

export function CustomFieldsSection({ contact }: { contact: Contact }) {
  const edit = useEditContact(contact);
  const [problem, setProblem] = useState<string | null>(null);
  const fields = Object.entries(contact.custom_fields).sort(([a], [b]) => a.localeCompare(b));

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const changes: Record<string, FieldValue> = {};
    for (const [name, value] of fields) {
      const parsed = readField(form, `field:${name}`, kindOf(value));
      if ("problem" in parsed) return setProblem(`${name} ${parsed.problem}.`);
      if (parsed.value !== value) changes[name] = parsed.value;
    }
    setProblem(null);
    if (Object.keys(changes).length) edit.mutate({ custom_fields: changes });
  }

  return (
    <section className="card" aria-labelledby="fields-title">
      <h2 id="fields-title">Custom fields</h2>
      {fields.length ? (
        <form key={contact.revision} onSubmit={save} noValidate>
          <div className="custom-fields">
            {fields.map(([name, value]) => (
              <div key={name} className="custom-field">
                <label htmlFor={`field-${name}`}>{name}</label>
                <FieldInput id={`field-${name}`} name={`field:${name}`} kind={kindOf(value)} value={value} />
                <button type="button" className="link-button" aria-label={`Remove field ${name}`} disabled={edit.isPending}
                  onClick={() => edit.mutate({ custom_fields: { [name]: null } })}>
                  Remove
                </button>
              </div>
            ))}
          </div>
          <button type="submit" disabled={edit.isPending}>{edit.isPending ? "Saving…" : "Save fields"}</button>
        </form>
      ) : (
        <p className="muted">No custom fields yet.</p>
      )}
      {(problem || edit.isError) && <p className="form-error" role="alert">{problem ?? edit.error?.message}</p>}
      <NewField busy={edit.isPending} onAdd={(name, value) => edit.mutate({ custom_fields: { [name]: value } })} />
    </section>
  );
}
