// What happened with the person, newest first, in words.
import { formatPhone } from "../../format/phone";
import { fullTime, timeAgo } from "../../format/time";
import type { Contact } from "../../tags/useTagShortcut";
import { useMessage, useUsers } from "./queries";
import { describeEntry, type Context, type TimelineEntry } from "./timelineWords";

function Entry({ entry, context }: { entry: TimelineEntry; context: Context }) {
  const messageId = entry.kind === "replied" ? (entry.detail as { message_id?: string }).message_id : undefined;
  const reply = useMessage(messageId);
  return (
    <li className={`timeline-entry ${entry.kind}`}>
      <span className="timeline-words">{describeEntry(entry, { ...context, replyBody: reply.data?.body })}</span>
      <time dateTime={entry.at} title={fullTime(entry.at)}>{timeAgo(entry.at)}</time>
    </li>
  );
}

/** The timeline's "tagged Opt-In" entry is followed by its own "opted in" one: shown once. */
function shown(entry: TimelineEntry): boolean {
  return !(entry.kind === "tagged" && (entry.detail as { tag?: string }).tag === "Opt-In");
}

export function TimelineSection({ contact }: { contact: Contact }) {
  const users = useUsers();
  const names = new Map(users.data?.map((user) => [user.id, user.name]));
  const phones = new Map(contact.phones.map((phone) => [phone.phone_id, formatPhone(phone.e164)]));
  const context: Context = { userName: (id) => names.get(id), phoneLabel: (id) => phones.get(id) };
  const entries = contact.timeline.filter(shown).reverse();

  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {users.isPending ? (
        <p className="muted" role="status"><span className="spinner" aria-hidden="true" /> Loading the timeline…</p>
      ) : entries.length ? (
        <ol className="timeline">
          {entries.map((entry, index) => <Entry key={`${entry.at}-${entry.kind}-${index}`} entry={entry} context={context} />)}
        </ol>
      ) : (
        <p className="muted">Nothing has happened with this person yet.</p>
      )}
      {users.isError && <p className="form-error" role="alert">Who did what could not be looked up: {users.error.message}</p>}
    </section>
  );
}
