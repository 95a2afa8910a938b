// Texting one person: the chain above the composer, with what would stop a text said first.
import { useMyNumber } from "../app/TopBar";
import { Composer } from "./Composer";
import { Conversation } from "./Conversation";
import { eligibilityOf } from "./eligibility";
import { useContact, useTextingSettings } from "./queries";
import { ScheduledList } from "./Scheduled";

export function TextPanel({ contactId, conversationId }: { contactId: string; conversationId?: string }) {
  const contact = useContact(contactId);
  const mine = useMyNumber();
  const settings = useTextingSettings();
  const eligibility = contact.data ? eligibilityOf(contact.data, mine.data, settings.data?.quiet_hours) : null;
  return (
    <div className="text-panel">
      <Conversation contactId={contactId} conversationId={conversationId} />
      <ScheduledList contactId={contactId} />
      {contact.isError ? (
        <p className="error" role="alert">{contact.error.message}</p>
      ) : (
        <Composer audience={{ contactId }} recipients={1} blockers={eligibility?.blockers ?? []} notices={eligibility?.notices ?? []}
          customFields={Object.keys(contact.data?.custom_fields ?? {})} />
      )}
    </div>
  );
}
