// Emails and the postal address.
import type { Contact } from "../../tags/useTagShortcut";

function addressLines(address: Contact["address"]): string[] {
  if (!address) return [];
  const cityLine = [address.city, [address.state, address.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [address.street, cityLine].filter((line): line is string => Boolean(line));
}

export function DetailsSection({ contact }: { contact: Contact }) {
  const address = addressLines(contact.address);
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Email and address</h2>
      <dl className="details">
        <dt>Email</dt>
        <dd>
          {contact.emails.length ? (
            <ul className="plain">{contact.emails.map((email) => <li key={email}><a href={`mailto:${email}`}>{email}</a></li>)}</ul>
          ) : <span className="muted">None</span>}
        </dd>
        <dt>Address</dt>
        <dd>{address.length ? <address>{address.map((line) => <div key={line}>{line}</div>)}</address> : <span className="muted">None</span>}</dd>
      </dl>
    </section>
  );
}
