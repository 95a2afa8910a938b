import type { Schemas } from "../../api/client";
import { formatPhone, phoneStates, phoneTypeWord } from "../../format/phone";

type Phone = Schemas["PhonePublic"];

export function PhoneLine({ phone }: { phone: Phone }) {
  const states = phoneStates(phone);
  return (
    <span className={states.length ? "phone blocked" : "phone"}>
      <span title={phone.e164}>{formatPhone(phone.e164)}</span> <span className="phone-type">{phoneTypeWord(phone.type)}</span>
      {states.map((state) => (
        <span key={state} className="pill warn">
          {state}
        </span>
      ))}
    </span>
  );
}

export function PhoneList({ phones }: { phones: Phone[] }) {
  if (!phones.length) return <span className="muted">No phone</span>;
  return (
    <span className="phone-list">
      {phones.map((phone) => (
        <PhoneLine key={phone.phone_id} phone={phone} />
      ))}
    </span>
  );
}
