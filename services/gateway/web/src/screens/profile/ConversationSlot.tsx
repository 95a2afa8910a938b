// Where the conversation chain and composer for this person sit on the profile.
import { Link } from "react-router";

export const CONVERSATION_ID = "profile-conversation";

export function ConversationSlot({ contactId: _contactId }: { contactId: string }) {
  return (
    <section id={CONVERSATION_ID} className="card" aria-labelledby="conversation-title" tabIndex={-1}>
      <h2 id="conversation-title">Conversation</h2>
      <p className="muted">Texts with this person are in the <Link to="/classic/#inbox" reloadDocument>Inbox</Link>.</p>
    </section>
  );
}
