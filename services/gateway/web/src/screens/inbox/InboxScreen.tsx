import { Link, useParams, useSearchParams } from "react-router";
import { useMe } from "../../session/me";
import { ConversationList } from "./ConversationList";
import { ConversationPane } from "./ConversationPane";
import { shows, VIEW_WORDS, VIEWS, viewFrom, withView } from "./filters";
import { useContactNames, useConversations } from "./queries";
import { LoadFailed } from "../../components/LoadFailed";

function ViewLinks({ params }: { params: URLSearchParams }) {
  const current = viewFrom(params);
  return (
    <nav className="view-links" aria-label="Show conversations">
      {VIEWS.map((view) => (
        <Link key={view} to={{ pathname: "/inbox", search: withView(params, view).toString() }} aria-current={view === current ? "true" : undefined}
          className={view === current ? "view-link current" : "view-link"}>
          {VIEW_WORDS[view].label}
        </Link>
      ))}
    </nav>
  );
}

function ListPane({ openId }: { openId: string | undefined }) {
  const [params] = useSearchParams();
  const view = viewFrom(params);
  const pages = useConversations(view);
  const conversations = (pages.data?.pages.flatMap((page) => page.conversations) ?? []).filter((c) => shows(view, c));
  const names = useContactNames(conversations.map((conversation) => conversation.contact_id));
  return (
    <div className="inbox-list-pane">
      <div className="screen-header">
        <h1 id="inbox-title">Inbox</h1>
      </div>
      <ViewLinks params={params} />
      {pages.isPending ? (
        <p className="list-state" role="status"><span className="spinner" aria-hidden="true" /> Loading conversations…</p>
      ) : pages.isError ? (
        <LoadFailed className="list-state" what="The conversations" error={pages.error} onRetry={() => pages.refetch()} />
      ) : (
        <>
          <ConversationList conversations={conversations} names={names} view={view} openId={openId} search={params.toString()} />
          {pages.hasNextPage && (
            <button type="button" className="more" disabled={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()}>
              {pages.isFetchingNextPage ? "Loading…" : "Older conversations"}
            </button>
          )}
        </>
      )}
    </div>
  );
}

export function InboxScreen() {
  const { conversationId } = useParams();
  const [params] = useSearchParams();
  const me = useMe().data!;
  return (
    <section className={conversationId ? "inbox has-open" : "inbox"} aria-labelledby="inbox-title">
      <ListPane openId={conversationId} />
      <div className="inbox-thread-pane">
        {conversationId ? (
          <ConversationPane key={conversationId} conversationId={conversationId} me={me} backTo={{ pathname: "/inbox", search: params.toString() }} />
        ) : (
          <p className="list-state">Choose a conversation to read it and reply.</p>
        )}
      </div>
    </section>
  );
}
