// Each phone with its type, its state (wrong number, opted out or in, landline), its tag arrow and a call button.
import { formatPhone, phoneStates, phoneTypeWord } from "../../format/phone";
import { fullTime } from "../../format/time";
import { TagArrow } from "../../tags/TagArrow";
import type { Contact, Phone } from "../../tags/useTagShortcut";
import type { CallState } from "./ProfileHeader";
import { primaryFirst } from "./reachability";

function consentWords(phone: Phone): string {
  const consent = phone.opt_in;
  if (!consent) return "Opted in";
  const how = consent.keyword ? `by texting ${consent.keyword}` : consent.method;
  return `Opted in (${how}${consent.note ? `: ${consent.note}` : ""}) on ${fullTime(consent.at)}`;
}

function PhoneRow({ contact, phone, call }: { contact: Contact; phone: Phone; call: CallState }) {
  const number = formatPhone(phone.e164);
  const place = [phone.region, phone.time_zone?.replaceAll("_", " ")].filter(Boolean).join(" · ");
  return (
    <li className="phone-row">
      <div className="phone-main">
        <span className="phone-number" title={phone.e164}>{number}</span>
        <TagArrow contact={contact} phone={phone} />
        <span className="phone-type">{phoneTypeWord(phone.type)}</span>
        {phone.primary && <span className="pill">Primary</span>}
        {phoneStates(phone).map((state) => <span key={state} className="pill warn">{state}</span>)}
        {phone.opted_in && <span className="pill ok" title={consentWords(phone)}>Opted in</span>}
      </div>
      {place && <div className="muted small">{place}</div>}
      <button type="button" className="link-button" aria-label={`Call ${number}`} disabled={call.isPending}
        onClick={() => call.mutate({ contactId: contact.id, phoneId: phone.phone_id })}>
        Call
      </button>
    </li>
  );
}

export function PhonesSection({ contact, call }: { contact: Contact; call: CallState }) {
  return (
    <section className="card" aria-labelledby="phones-title">
      <h2 id="phones-title">Phones</h2>
      {contact.phones.length ? (
        <ul className="phone-rows">
          {primaryFirst(contact.phones).map((phone) => <PhoneRow key={phone.phone_id} contact={contact} phone={phone} call={call} />)}
        </ul>
      ) : (
        <p className="muted">No phone numbers.</p>
      )}
    </section>
  );
}
