import { Link } from "react-router";
import { fullTime, timeAgo } from "../../format/time";
import { VIEW_WORDS, type InboxView } from "./filters";
import type { Conversation } from "./queries";
import { conversationTitle, lastMessageLine } from "./words";

type Props = {
  conversations: Conversation[];
  names: Map<string, string>;
  view: InboxView;
  openId: string | undefined;
  search: string;
};

function Row({ conversation, names, open, search }: { conversation: Conversation; names: Map<string, string>; open: boolean; search: string }) {
  const title = conversationTitle(conversation, names);
  const unread = conversation.unread_count;
  const at = conversation.last_activity_at ?? conversation.last_message?.at;
  return (
    <li className={["conversation-row", unread ? "unread" : "", open ? "open" : ""].join(" ").trim()}>
      <Link to={{ pathname: `/inbox/${encodeURIComponent(conversation.conversation_id)}`, search }} aria-current={open ? "page" : undefined}
        aria-label={`${title}${unread ? `, ${unread} unread` : ""}: ${lastMessageLine(conversation)}`}>
        <span className="conversation-top">
          <span className="conversation-name" title={conversation.their_number}>{title}</span>
          {!conversation.contact_id && <span className="pill warn">Unknown sender</span>}
          {unread > 0 && <span className="count-badge" aria-hidden="true">{unread}</span>}
          {at && <time dateTime={at} title={fullTime(at)}>{timeAgo(at)}</time>}
        </span>
        <span className="conversation-last">{lastMessageLine(conversation)}</span>
      </Link>
    </li>
  );
}

export function ConversationList({ conversations, names, view, openId, search }: Props) {
  if (!conversations.length) return <p className="list-state">{VIEW_WORDS[view].empty}</p>;
  return (
    <ul className="conversation-list" aria-label={`${VIEW_WORDS[view].label} conversations`}>
      {conversations.map((conversation) => (
        <Row key={conversation.conversation_id} conversation={conversation} names={names} search={search}
          open={conversation.conversation_id === openId} />
      ))}
    </ul>
  );
}
