// Insert {field|fallback}: the fallback is what the person reads when the contact has no value.
import { useId, useState } from "react";

const BUILT_IN = [["first_name", "First name"], ["last_name", "Last name"]] as const;

export function mergeField(name: string, fallback: string): string {
  const cleaned = fallback.replace(/[{}|]/g, "").trim();
  return cleaned ? `{${name}|${cleaned}}` : `{${name}}`;
}

export function MergeFields({ customFields, onInsert }: { customFields: string[]; onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState<string>("first_name");
  const [fallback, setFallback] = useState("there");
  const id = useId();
  return (
    <div className="merge-fields">
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>Insert field</button>
      {open && (
        <div id={id} className="merge-panel" role="group" aria-label="Insert a merge field">
          <label>
            Field
            <select value={name} onChange={(event) => setName(event.target.value)}>
              {BUILT_IN.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
              {customFields.map((field) => <option key={field} value={field}>{field}</option>)}
            </select>
          </label>
          <label>
            If empty, say
            <input value={fallback} onChange={(event) => setFallback(event.target.value)} maxLength={60} />
          </label>
          <button type="button" onClick={() => { onInsert(mergeField(name, fallback)); setOpen(false); }}>
            Insert {mergeField(name, fallback)}
          </button>
        </div>
      )}
    </div>
  );
}
