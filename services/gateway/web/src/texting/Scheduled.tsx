// Texts waiting for their time, with cancel.
import { fullTime, timeAgo } from "../format/time";
import { useCancelScheduled, useScheduledSends } from "./queries";

export function ScheduledList({ contactId }: { contactId?: string }) {
  const scheduled = useScheduledSends(contactId);
  const cancel = useCancelScheduled();
  const items = (scheduled.data ?? []).filter((item) => contactId || item.kind === "bulk_send");
  if (!items.length) return null;
  return (
    <section className="scheduled" aria-label="Scheduled texts">
      <h3>Scheduled</h3>
      <ul>
        {items.map((item) => (
          <li key={item.scheduled_send_id}>
            <time dateTime={item.send_at} title={fullTime(item.send_at)}>{timeAgo(item.send_at)}</time>: “{item.body}”{" "}
            <button type="button" className="link-button" disabled={cancel.isPending} onClick={() => cancel.mutate(item.scheduled_send_id)}>
              Cancel
            </button>
          </li>
        ))}
      </ul>
      {cancel.isError && <p className="error" role="alert">{cancel.error.message}</p>}
    </section>
  );
}
