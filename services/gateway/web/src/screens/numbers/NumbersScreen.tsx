// Numbers: the user's own texting number (its state while it is being bought, its error in
// words), every number of the account with its state for owners and admins, and what happens
// to a deactivated user's number.
import { useEffect, useId, useState, type FormEvent } from "react";
import { useMyNumber } from "../../app/TopBar";
import { formatPhone } from "../../format/phone";
import { fullTime, timeAgo } from "../../format/time";
import { can, useMe } from "../../session/me";
import { useAccountNumbers, useNumberLimits, useNumberSettings, useRequestMyNumber, useSaveNumberSettings, type DeactivationPolicy } from "./queries";
import { DEACTIVATION_CHOICES, isBeingBought, selectionWords, stateTone, stateWords, troubleWords, type NumberLine } from "./words";
import "../screen-parts.css";
import "./numbers.css";
import { LoadFailed } from "../../components/LoadFailed";

function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return <time dateTime={iso} title={fullTime(iso)}>{timeAgo(iso)}</time>;
}

function Phone({ e164 }: { e164: string | null }) {
  if (!e164) return <span className="muted">None yet</span>;
  return <span className="phone-number" title={e164}>{formatPhone(e164)}</span>;
}

function StatePill({ line }: { line: NumberLine }) {
  return (
    <span className={`pill ${stateTone(line.state)}`}>
      {isBeingBought(line) && line.state !== "failed" && <span className="spinner" aria-hidden="true" />} {stateWords(line.state)}
    </span>
  );
}

function NoNumberYet() {
  const request = useRequestMyNumber();
  return (
    <section className="card" aria-labelledby="my-number-title">
      <h2 id="my-number-title">My number</h2>
      <p className="empty">No number yet: you get your own texting number with your first text.</p>
      <div className="actions">
        <button type="button" className="primary" disabled={request.isPending} onClick={() => request.mutate()}>
          {request.isPending ? "Asking…" : "Get my number now"}
        </button>
      </div>
      {request.isError && <p className="form-error" role="alert">Your number was not requested: {request.error.message}</p>}
    </section>
  );
}

function MyNumber() {
  const mine = useMyNumber();
  if (mine.isPending)
    return <div className="card" role="status" aria-label="Loading your number"><div className="skeleton-line wide" /><div className="skeleton-line" /></div>;
  if (mine.isError)
    return (
      <LoadFailed className="card notice" what="Your number" error={mine.error} onRetry={() => mine.refetch()} />
    );
  const line = mine.data;
  if (!line) return <NoNumberYet />;
  const trouble = troubleWords(line);
  return (
    <section className="card my-number" aria-labelledby="my-number-title">
      <h2 id="my-number-title">My number</h2>
      <p className="big-number"><Phone e164={line.phone_number} /> <StatePill line={line} /></p>
      {isBeingBought(line) && !line.phone_number && (
        <p role="status">Your texting number is being bought{line.area_code ? ` near area code ${line.area_code}` : ""}; it shows here as soon as it is yours.</p>
      )}
      {trouble && <p className="notice error">{trouble}{line.next_attempt_at && <> Next attempt <When iso={line.next_attempt_at} />.</>}</p>}
      <dl className="details">
        {line.area_code && <><dt>Area code</dt><dd>{line.area_code}</dd></>}
        {selectionWords(line.selection_rule, "your") && <><dt>Chosen</dt><dd>{selectionWords(line.selection_rule, "your")}</dd></>}
        {line.since && <><dt>Yours since</dt><dd><When iso={line.since} /></dd></>}
        {line.requested_at && <><dt>Requested</dt><dd><When iso={line.requested_at} /></dd></>}
      </dl>
    </section>
  );
}

function AccountNumbers() {
  const numbers = useAccountNumbers(true);
  const limits = useNumberLimits(true);
  const quota = limits.data?.numbers_per_day;
  return (
    <section className="card" aria-labelledby="account-numbers-title">
      <h2 id="account-numbers-title">The account's numbers</h2>
      {quota && <p className="muted">Bought today: {quota.used} of {quota.limit} a day (resets <When iso={quota.resets_at} />).</p>}
      {numbers.isPending ? (
        <div className="skeleton-list" role="status" aria-label="Loading the account's numbers">
          {[0, 1, 2].map((row) => <div key={row} className="skeleton-line" />)}
        </div>
      ) : numbers.isError ? (
        <LoadFailed className="notice" what="The account's numbers" error={numbers.error} onRetry={() => numbers.refetch()} />
      ) : numbers.data.items.length === 0 ? (
        <p className="empty">No numbers yet. Each user gets one with their first text.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Numbers of the account">
          <table className="plain-table">
            <thead>
              <tr><th scope="col">Holder</th><th scope="col">Number</th><th scope="col">State</th><th scope="col">Since</th><th scope="col">Problem</th></tr>
            </thead>
            <tbody>
              {numbers.data.items.map((line) => (
                <tr key={line.user_id}>
                  <th scope="row">{line.user_name || "Unnamed user"}<div className="muted small">{line.user_email}</div></th>
                  <td><Phone e164={line.phone_number} /></td>
                  <td><StatePill line={line} /></td>
                  <td><When iso={line.since} /></td>
                  <td>
                    {troubleWords(line) ?? <span className="muted">—</span>}
                    {line.last_error && line.next_attempt_at && <div className="small">Next attempt <When iso={line.next_attempt_at} /></div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeactivationSetting({ editable }: { editable: boolean }) {
  const settings = useNumberSettings(true);
  const save = useSaveNumberSettings();
  const [choice, setChoice] = useState<DeactivationPolicy | null>(null);
  const legend = useId();
  useEffect(() => {
    if (settings.data) setChoice(settings.data.on_deactivation);
  }, [settings.data]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (choice) save.mutate(choice);
  }

  if (settings.isPending) return <section className="card" role="status" aria-label="Loading the number settings"><div className="skeleton-line" /></section>;
  if (settings.isError)
    return <section className="card notice error" role="alert">The number settings could not be loaded: {settings.error.message}</section>;
  const changed = choice !== settings.data.on_deactivation;
  return (
    <section className="card">
      <form onSubmit={submit}>
        <fieldset aria-describedby={legend} disabled={!editable || save.isPending}>
          <legend><h2>When a user is deactivated</h2></legend>
          <p id={legend} className="muted">What happens to the texting number of a user who is deactivated.</p>
          {DEACTIVATION_CHOICES.map((option) => (
            <label key={option.value} className="choice">
              <input type="radio" name="on_deactivation" value={option.value} checked={choice === option.value}
                onChange={() => { setChoice(option.value); save.reset(); }} />
              <span><strong>{option.label}</strong><span className="muted small">{option.hint}</span></span>
            </label>
          ))}
        </fieldset>
        {editable ? (
          <div className="actions">
            <button type="submit" className="primary" disabled={!changed || save.isPending}>{save.isPending ? "Saving…" : "Save"}</button>
            <span role="status">{save.isSuccess && !changed ? "Saved" : ""}</span>
          </div>
        ) : (
          <p className="muted small">Only owners and admins change this.</p>
        )}
        {save.isError && <p className="form-error" role="alert">Not saved: {save.error.message}</p>}
      </form>
    </section>
  );
}

export function NumbersScreen() {
  const me = useMe().data;
  const manages = can(me, "GET /api/numbers/settings");
  return (
    <section className="numbers ops-screen" aria-labelledby="numbers-title">
      <div className="screen-header"><h1 id="numbers-title">Numbers</h1></div>
      <MyNumber />
      {manages && <AccountNumbers />}
      {manages && <DeactivationSetting editable={can(me, "PUT /api/numbers/settings")} />}
    </section>
  );
}
