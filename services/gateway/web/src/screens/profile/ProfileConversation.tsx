// The conversation chain with this person and the composer, as in the inbox and the text sidebar.
import { lazy, Suspense } from "react";

// The texting pieces load with the first profile opened, not with the grid.
const TextPanel = lazy(() => import("../../texting/TextPanel").then((module) => ({ default: module.TextPanel })));

export const CONVERSATION_ID = "profile-conversation";

export function ProfileConversation({ contactId }: { contactId: string }) {
  return (
    <section id={CONVERSATION_ID} className="card" aria-labelledby="conversation-title" tabIndex={-1}>
      <h2 id="conversation-title">Conversation</h2>
      <Suspense fallback={<p className="muted" role="status"><span className="spinner" aria-hidden="true" /> Loading the conversation…</p>}>
        <TextPanel contactId={contactId} />
      </Suspense>
    </section>
  );
}
