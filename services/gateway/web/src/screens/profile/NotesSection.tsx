// The contact's notes: one text the API keeps; each note added goes at the end, signed and dated.
import { useState, type FormEvent } from "react";
import { useMe } from "../../session/me";
import type { Contact } from "../../tags/useTagShortcut";
import { useEditContact } from "./queries";

const NOTES_LIMIT = 10_000;
const dated = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function NotesSection({ contact }: { contact: Contact }) {
  const edit = useEditContact(contact);
  const me = useMe();
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function add(event: FormEvent) {
    event.preventDefault();
    const note = draft.trim();
    if (!note) return setProblem("Write the note first.");
    const signed = `${dated.format(new Date())}, ${me.data?.name ?? "me"}: ${note}`;
    const notes = contact.notes ? `${contact.notes}\n\n${signed}` : signed;
    if (notes.length > NOTES_LIMIT) return setProblem(`Notes hold at most ${NOTES_LIMIT.toLocaleString()} characters; this one is ${(notes.length - NOTES_LIMIT).toLocaleString()} too long.`);
    setProblem(null);
    edit.mutate({ notes }, { onSuccess: () => setDraft("") });
  }

  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      {contact.notes ? <p className="notes">{contact.notes}</p> : <p className="muted">No notes yet.</p>}
      <form onSubmit={add} className="stack">
        <label className="field">
          <span>Add a note</span>
          <textarea rows={3} value={draft} maxLength={NOTES_LIMIT} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" disabled={edit.isPending}>{edit.isPending ? "Saving…" : "Add note"}</button>
      </form>
      {(problem || edit.isError) && <p className="form-error" role="alert">{problem ?? edit.error?.message}</p>}
    </section>
  );
}
