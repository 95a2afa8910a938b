// Registration: the account's A2P 10DLC brand and campaign, as a guided form for the owner,
// and the state of each step once it is submitted.
import { can, useMe } from "../../session/me";
import { GuidedForm } from "./GuidedForm";
import { isWhole, useRegistration } from "./queries";
import { Review } from "./Review";
import { Stages } from "./Stages";
import { draftOf, isEditable, STATE_WORDS } from "./steps";
import "../screen-parts.css";
import "./registration.css";
import { LoadFailed } from "../../components/LoadFailed";

function Body() {
  const me = useMe().data;
  const registration = useRegistration();
  if (registration.isPending)
    return <div role="status" aria-label="Loading the registration"><div className="skeleton-line wide" /><div className="skeleton-block" /></div>;
  if (registration.isError)
    return (
      <LoadFailed className="notice" what="The registration" error={registration.error} onRetry={() => registration.refetch()} />
    );
  const current = registration.data;
  const owner = can(me, "PUT /api/registrations");
  const whole = isWhole(current) ? current : null;
  return (
    <>
      {current ? (
        <div className="card">
          <p className="registration-state">State: <strong>{STATE_WORDS[current.state] ?? current.state}</strong></p>
          {current.deliverability_warning && (
            <p className="notice warn">Until the registration is approved, texts go out but carriers may filter them.</p>
          )}
          {current.reason && current.state === "failed" && <p className="notice error">Why: {current.reason}</p>}
          {current.state !== "draft" && <Stages registration={whole ?? { ...current, brand_sid: null, messaging_service_sid: null, campaign_sid: null }} />}
        </div>
      ) : (
        <p className="notice warn">No registration yet. Until the account is registered, carriers may filter its texts.</p>
      )}
      {owner && isEditable(current?.state) ? (
        <GuidedForm registration={whole} />
      ) : whole ? (
        <div className="card"><h2>Submitted details</h2><Review draft={draftOf(whole)} /></div>
      ) : (
        !owner && <p className="muted">Only the account owner fills in and submits the registration.</p>
      )}
    </>
  );
}

export function RegistrationScreen() {
  return (
    <section className="registration ops-screen" aria-labelledby="registration-title">
      <div className="screen-header"><h1 id="registration-title">A2P 10DLC registration</h1></div>
      <p className="muted intro">US carriers deliver business texts reliably once the business (the brand) and what it sends (the campaign) are registered.</p>
      <Body />
    </section>
  );
}
