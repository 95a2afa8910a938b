// A contact's profile: who they are, how to reach them, what happened, and the conversation.
import { useParams } from "react-router";
import { ApiProblem } from "../../api/problems";
import { personName } from "../../format/name";
import { CONVERSATION_ID, ProfileConversation } from "./ProfileConversation";
import { CustomFieldsSection } from "./CustomFieldsSection";
import { DetailsSection } from "./DetailsSection";
import { NotesSection } from "./NotesSection";
import { PhonesSection } from "./PhonesSection";
import { ProfileHeader } from "./ProfileHeader";
import { useCall, useContact } from "./queries";
import { TagsSection } from "./TagsSection";
import { TimelineSection } from "./TimelineSection";

function ProfileSkeleton() {
  return (
    <section className="profile" aria-busy="true" aria-label="Loading the profile">
      <p className="page-state" role="status"><span className="spinner" aria-hidden="true" /> Loading the profile…</p>
      <div className="profile-columns" aria-hidden="true">
        <div className="skeleton tall" />
        <div className="skeleton tall" />
      </div>
    </section>
  );
}

/** Puts the person's composer in view with the cursor in it. */
function focusComposer() {
  const conversation = document.getElementById(CONVERSATION_ID);
  conversation?.scrollIntoView({ behavior: "smooth", block: "start" });
  const field = conversation?.querySelector<HTMLElement>("textarea");
  (field ?? conversation)?.focus();
}

export function ProfileScreen() {
  const { contactId = "" } = useParams();
  const contact = useContact(contactId);
  const call = useCall();

  if (contact.isPending) return <ProfileSkeleton />;
  if (contact.isError) {
    const gone = contact.error instanceof ApiProblem && contact.error.status === 404;
    return (
      <section className="profile grid-state error" role="alert">
        <h1>{gone ? "No such contact" : "The profile could not be loaded"}</h1>
        <p>{gone ? "This contact was deleted, or belongs to another account." : contact.error.message}</p>
        {!gone && <button type="button" onClick={() => contact.refetch()}>Try again</button>}
      </section>
    );
  }

  const person = contact.data;
  return (
    <article className="profile" aria-labelledby="profile-title">
      <title>{`${personName(person)} · Contacts CRM`}</title>
      <ProfileHeader contact={person} call={call} onText={focusComposer} />
      <div className="profile-columns">
        <div className="profile-facts">
          <PhonesSection contact={person} call={call} />
          <DetailsSection contact={person} />
          <TagsSection contact={person} />
          <CustomFieldsSection contact={person} />
          <NotesSection contact={person} />
        </div>
        <div className="profile-activity">
          <ProfileConversation contactId={person.id} />
          <TimelineSection contact={person} />
        </div>
      </div>
    </article>
  );
}
