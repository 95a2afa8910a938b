// The contact's tags: the system ones (set from the tag arrows) and the account's own, added and removed here.
import { useState, type FormEvent } from "react";
import { DO_NOT_CONTACT, OPT_IN, useTagShortcut, WRONG_NUMBER, type Contact } from "../../tags/useTagShortcut";
import { useAccountTags } from "./queries";

const SYSTEM_TAGS = new Set([DO_NOT_CONTACT, WRONG_NUMBER, OPT_IN]);

export function TagsSection({ contact }: { contact: Contact }) {
  const change = useTagShortcut(contact.id);
  const known = useAccountTags();
  const [draft, setDraft] = useState("");
  const custom = new Set(contact.tags.filter((tag) => !SYSTEM_TAGS.has(tag)));

  function add(event: FormEvent) {
    event.preventDefault();
    const tag = draft.trim();
    if (!tag) return;
    change.mutate({ action: "add", tag }, { onSuccess: () => setDraft("") });
  }

  return (
    <section className="card" aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      {contact.tags.length ? (
        <ul className="chips" aria-label="Tags">
          {contact.tags.map((tag) => (
            <li key={tag} className={SYSTEM_TAGS.has(tag) ? "chip system" : "chip"}>
              {tag}
              {custom.has(tag) && (
                <button type="button" aria-label={`Remove tag ${tag}`} disabled={change.isPending}
                  onClick={() => change.mutate({ action: "remove", tag })}>×</button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No tags yet.</p>
      )}
      <form className="inline-form" onSubmit={add}>
        <label className="visually-hidden" htmlFor="new-tag">Add a tag</label>
        <input id="new-tag" list="known-tags" placeholder="Add a tag" maxLength={200} value={draft} onChange={(event) => setDraft(event.target.value)} />
        <datalist id="known-tags">
          {known.data?.filter((tag) => !tag.system && !custom.has(tag.name)).map((tag) => <option key={tag.name} value={tag.name} />)}
        </datalist>
        <button type="submit" disabled={change.isPending || !draft.trim()}>Add tag</button>
      </form>
      {change.isError && <p className="form-error" role="alert">{change.error.message}</p>}
    </section>
  );
}
