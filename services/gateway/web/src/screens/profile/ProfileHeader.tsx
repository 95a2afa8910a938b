// The top of a profile: the name with its DNC badge and tag arrow, and the Text and Call buttons.
import { Link } from "react-router";
import { formatPhone } from "../../format/phone";
import { personName } from "../../format/name";
import { TagArrow } from "../../tags/TagArrow";
import type { Contact } from "../../tags/useTagShortcut";
import { useCall } from "./queries";
import { primaryFirst, textability } from "./reachability";

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type CallState = ReturnType<typeof useCall>;

function CallOutcome({ call }: { call: CallState }) {
  if (call.isPending) return <p className="call-state" role="status">Calling…</p>;
  if (call.isError) return <p className="call-state form-error" role="alert">{sentence(call.error.message)}</p>;
  if (call.data) {
    return (
      <p className="call-state ok" role="status">
        Your phone <span title={call.data.ringing}>{formatPhone(call.data.ringing)}</span> is ringing: answer it and you are connected to{" "}
        <span title={call.data.to_number}>{formatPhone(call.data.to_number)}</span>, who sees your number{" "}
        <span title={call.data.from_number}>{formatPhone(call.data.from_number)}</span>.
      </p>
    );
  }
  return null;
}

export function ProfileHeader({ contact, call, onText }: { contact: Contact; call: CallState; onText: () => void }) {
  const texting = textability(contact);
  const [callTarget] = primaryFirst(contact.phones);
  const name = personName(contact);

  return (
    <header className="profile-header">
      <Link to="/contacts" className="back-link">← Contacts</Link>
      <div className="profile-title">
        <h1 id="profile-title">{name}</h1>
        {contact.dnc && <span className="pill danger" title="Do Not Contact: no texts or calls from the account">DNC</span>}
        <TagArrow contact={contact} />
      </div>
      <div className="profile-actions">
        <button type="button" className="primary" disabled={!texting.phones.length} aria-describedby={texting.reason ? "text-blocked" : undefined}
          onClick={onText}>
          Text
        </button>
        <button type="button" disabled={!callTarget || call.isPending} aria-describedby={callTarget ? undefined : "call-blocked"}
          onClick={() => callTarget && call.mutate({ contactId: contact.id, phoneId: callTarget.phone_id })}>
          Call{callTarget ? ` ${formatPhone(callTarget.e164)}` : ""}
        </button>
      </div>
      {texting.reason && <p id="text-blocked" className="blocked-reason">{texting.reason}</p>}
      {!callTarget && <p id="call-blocked" className="blocked-reason">No phone number to call.</p>}
      <CallOutcome call={call} />
    </header>
  );
}
