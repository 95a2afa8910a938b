// One field of the registration form, with its hint and the API's problems with it.
import type { Field } from "./steps";

export function FieldInput({ field, value, problems, disabled, onChange }: {
  field: Field; value: string; problems: string[]; disabled?: boolean; onChange: (value: string) => void;
}) {
  const id = `registration-${field.name}`;
  const described = [field.hint ? `${id}-hint` : "", problems.length ? `${id}-problem` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, name: field.name, value, disabled, "aria-invalid": problems.length > 0, "aria-describedby": described };
  return (
    <div className={problems.length ? "field invalid" : "field"}>
      <label htmlFor={id}>{field.label}{field.optional && <span className="muted"> (optional)</span>}</label>
      {field.options ? (
        <select {...common} onChange={(event) => onChange(event.target.value)}>
          {field.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      ) : field.kind === "textarea" ? (
        <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={field.kind ?? "text"} autoComplete="off" onChange={(event) => onChange(event.target.value)} />
      )}
      {field.hint && <small id={`${id}-hint`}>{field.hint}</small>}
      {problems.length > 0 && <div id={`${id}-problem`} className="field-problem">{problems.join("; ")}</div>}
    </div>
  );
}
