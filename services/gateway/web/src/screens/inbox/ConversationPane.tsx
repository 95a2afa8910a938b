import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, type To } from "react-router";
import { profileHref } from "../../app/routes";
import { formatPhone } from "../../format/phone";
import { readNotificationsAbout } from "../../notifications/queries";
import type { Me } from "../../session/me";
import { Conversation } from "../../texting/Conversation";
import { TextPanel } from "../../texting/TextPanel";
import { Assignment } from "./Assignment";
import { useContactNames, useConversation, useMarkConversationRead } from "./queries";
import { conversationTitle } from "./words";

function ProfileLink({ contactId, name }: { contactId: string; name: string }) {
  return <Link to={profileHref(contactId)}>{`Open ${name}'s profile`}</Link>;
}

/** Opening the thread reads it, and reads it again whenever a new reply lands while it is open. */
function useReadWhileOpen(conversationId: string, unread: number | undefined) {
  const markRead = useMarkConversationRead();
  const client = useQueryClient();
  const { mutate } = markRead;
  const loaded = unread !== undefined;
  const hasUnread = loaded && unread > 0;
  useEffect(() => {
    if (!loaded) return;
    mutate(conversationId);
    readNotificationsAbout(conversationId)
      .then((count) => {
        if (count) client.invalidateQueries({ queryKey: ["notifications"] });
      })
      .catch(() => undefined);
  }, [conversationId, loaded, hasUnread]);
  return markRead;
}

export function ConversationPane({ conversationId, me, backTo }: { conversationId: string; me: Me; backTo: To }) {
  const conversation = useConversation(conversationId);
  const names = useContactNames([conversation.data?.contact_id]);
  const markRead = useReadWhileOpen(conversationId, conversation.data?.unread_count);

  if (conversation.isPending) return <p className="list-state" role="status"><span className="spinner" aria-hidden="true" /> Opening the conversation…</p>;
  if (conversation.isError)
    return (
      <div className="list-state error" role="alert">
        <Link to={backTo} className="back-link">← All conversations</Link>
        <p>This conversation could not be opened: {conversation.error.message}</p>
      </div>
    );
  const thread = conversation.data;
  const title = conversationTitle(thread, names);
  return (
    <article className="conversation-pane" aria-labelledby="conversation-title">
      <Link to={backTo} className="back-link">← All conversations</Link>
      <header className="conversation-header">
        <div>
          <h2 id="conversation-title">{title}</h2>
          <span className="muted" title={thread.their_number}>{formatPhone(thread.their_number)}</span>
        </div>
        {thread.contact_id ? <ProfileLink contactId={thread.contact_id} name={title} /> : <span className="pill warn">This number matches no contact</span>}
      </header>
      <Assignment conversation={thread} me={me} />
      {markRead.isError && <p className="form-error" role="alert">Could not mark it read: {markRead.error.message}</p>}
      {thread.contact_id ? (
        <TextPanel contactId={thread.contact_id} conversationId={thread.conversation_id} />
      ) : (
        // Texts go to contacts: a sender who matches none is read here and added as a contact to reply.
        <Conversation conversationId={thread.conversation_id} />
      )}
    </article>
  );
}
