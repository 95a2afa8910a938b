// Saved replies: typed as "/shortcut" at the start of the message or picked from the list;
// one that carries actions says what sending it will also do.
import type { CannedReply } from "./queries";

/** The "/word" being typed at the start of the draft, if any. */
export function slashQuery(draft: string): string | null {
  const match = /^\/(\S*)$/.exec(draft);
  return match ? match[1].toLowerCase() : null;
}

export function matchingReplies(replies: CannedReply[], query: string): CannedReply[] {
  return replies.filter(
    (reply) => (reply.shortcut ?? "").toLowerCase().startsWith(query) || reply.name.toLowerCase().includes(query),
  );
}

export function actionWords(reply: CannedReply): string[] {
  const words: string[] = [];
  if (reply.actions.add_tags?.length) words.push(`tag the contact ${reply.actions.add_tags.join(", ")}`);
  if (reply.actions.opt_in_method) words.push(`mark the phone Opt-In (consent: ${reply.actions.opt_in_method})`);
  if (reply.actions.close_conversation) words.push("close the conversation");
  return words;
}

type ListProps = { replies: CannedReply[]; active: number; listId: string; onPick: (reply: CannedReply) => void };

export function CannedReplyList({ replies, active, listId, onPick }: ListProps) {
  if (!replies.length) return <p className="slash-empty muted" id={listId}>No saved reply matches.</p>;
  return (
    <ul className="slash-list" role="listbox" id={listId} aria-label="Saved replies">
      {replies.map((reply, index) => (
        <li key={reply.canned_reply_id} id={`${listId}-${index}`} role="option" aria-selected={index === active}
          className={index === active ? "active" : undefined} onMouseDown={(event) => { event.preventDefault(); onPick(reply); }}>
          <strong>{reply.shortcut ? `/${reply.shortcut}` : reply.name}</strong> <span className="muted">{reply.name}</span>
          <span className="slash-body">{reply.body}</span>
        </li>
      ))}
    </ul>
  );
}

export function AppliedReply({ reply, onDetach }: { reply: CannedReply; onDetach: () => void }) {
  const actions = actionWords(reply);
  return (
    <p className="applied-reply" role="status">
      Saved reply “{reply.name}”{actions.length ? `: sending it will also ${actions.join(", ")}.` : "."}{" "}
      <button type="button" className="link-button" onClick={onDetach}>Don't apply its actions</button>
    </p>
  );
}
