// The conversation chain with one person: oldest at the top, our texts on the right with who
// sent them and their delivery tick, the person's replies on the left, kept live.
import { useEffect, useRef } from "react";
import { fullName } from "../screens/contacts/columns";
import { formatPhone } from "../format/phone";
import { fullTime, timeAgo } from "../format/time";
import { MediaList } from "./Media";
import { ReviewItems } from "./ReviewItems";
import { useContact, useContactConversations, useConversation, useLiveMessages, useUserNames, type Message } from "./queries";
import { deliveryOf } from "./words";

type Props = { contactId?: string; conversationId?: string };

const TICK_MARKS = { queued: "🕓", held: "⏸", sent: "✓", delivered: "✓✓", failed: "⚠" } as const;

function useThreadIds({ contactId, conversationId }: Props) {
  const ofContact = useContactConversations(conversationId ? undefined : contactId);
  if (conversationId) return { ids: [conversationId], isPending: false, error: null };
  const ids = ofContact.data?.conversations.map((conversation) => conversation.conversation_id) ?? [];
  return { ids, isPending: ofContact.isPending, error: ofContact.error };
}

function Bubble({ message, theirName, showNumber }: { message: Message; theirName: string; showNumber: boolean }) {
  const senderName = useUserNames();
  const outbound = message.direction === "outbound";
  const number = outbound ? message.to_number : message.from_number;
  const who = outbound ? (message.auto_reply ? "Automatic reply" : senderName(message.user_id)) : theirName;
  const delivery = outbound ? deliveryOf(message) : null;
  return (
    <li className={`bubble ${outbound ? "outbound" : "inbound"}`} data-testid="chain-message">
      <span className="bubble-who">
        {who}
        {showNumber && number && <span className="muted" title={number}> · {outbound ? "to " : ""}{formatPhone(number)}</span>}
      </span>
      <span className="bubble-body">{message.body}</span>
      <MediaList media={message.media} />
      <span className="bubble-meta">
        <time dateTime={message.created_at} title={fullTime(message.created_at)}>{timeAgo(message.created_at)}</time>
        {delivery && (
          <span className={`tick ${delivery.tick}`}>
            <span aria-hidden="true">{TICK_MARKS[delivery.tick]} </span>
            {delivery.words}
          </span>
        )}
      </span>
    </li>
  );
}

export function Conversation(props: Props) {
  const threads = useThreadIds(props);
  const contact = useContact(props.contactId);
  const conversation = useConversation(props.contactId ? undefined : props.conversationId);
  const messages = useLiveMessages(threads.ids);
  const chain = useRef<HTMLOListElement>(null);
  const count = messages.data?.length ?? 0;
  // The chain scrolls to its newest text within itself; the page around it stays where it is.
  useEffect(() => {
    if (chain.current) chain.current.scrollTop = chain.current.scrollHeight;
  }, [count]);

  const theirNumber = conversation.data?.their_number;
  const theirName = contact.data ? fullName(contact.data) : theirNumber ? formatPhone(theirNumber) : "Them";
  const error = threads.error ?? messages.error;
  if (error) return <p className="chain-state error" role="alert">The conversation could not be loaded: {error.message}</p>;
  if (threads.isPending || (threads.ids.length > 0 && messages.isPending)) {
    return (
      <div className="chain-state" role="status" aria-label="Loading the conversation">
        <span className="skeleton line" /><span className="skeleton line short" /><span className="skeleton line" />
      </div>
    );
  }
  const shown = messages.data ?? [];
  const numbers = new Set(shown.map((message) => (message.direction === "outbound" ? message.to_number : message.from_number)));
  return (
    <section className="conversation" aria-label={`Conversation with ${theirName}`}>
      <ReviewItems conversationIds={threads.ids} />
      {shown.length === 0 ? (
        <p className="chain-state muted">No texts with {theirName} yet.</p>
      ) : (
        <ol ref={chain} className="chain" aria-live="polite" aria-relevant="additions" aria-label="Messages" tabIndex={0}>
          {shown.map((message) => (
            <Bubble key={message.message_id} message={message} theirName={theirName} showNumber={numbers.size > 1} />
          ))}
        </ol>
      )}
    </section>
  );
}
