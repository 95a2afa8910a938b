// The composer: counts encoding, characters and segments as you type (a debounced preview),
// never waits for a Preview press, says in words what would stop the text, and offers merge
// fields, saved replies ("/"), the smart-quote fix and sending later.
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { ApiProblem } from "../api/problems";
import { useMe, can } from "../session/me";
import { useAttachments } from "./attachments";
import { AttachButton, DraftAttachments } from "./Attachments";
import { AppliedReply, CannedReplyList, matchingReplies, slashQuery } from "./CannedReplies";
import { Counter } from "./Counter";
import { MergeFields } from "./MergeFields";
import { useCannedReplies, usePreview, type CannedReply, type Preview } from "./queries";
import { useSend, type Audience, type Outcome } from "./send";
import { useDebounced } from "./useDebounced";
import { skipWords } from "./words";

export const MAX_BODY_CHARS = 1600;
const PREVIEW_DEBOUNCE_MS = 300;

type Props = {
  audience: Audience;
  recipients: number;
  /** Why this text cannot go at all (said in words; Send stays disabled). */
  blockers?: string[];
  /** What the sender should know, which does not stop the text (quiet hours, no number yet). */
  notices?: string[];
  customFields?: string[];
  onSent?: (outcome: Outcome) => void;
};

/** Why Send is disabled, in words; null when it may be pressed. */
export function sendBlockedBecause(input: {
  body: string; recipients: number; blockers: string[]; mayText: boolean; sending: boolean; scheduling: boolean; sendAt: string;
  media?: { ready: number; uploading: boolean; failed: boolean };
}): string | null {
  const length = input.body.trim().length;
  const media = input.media ?? { ready: 0, uploading: false, failed: false };
  if (!input.mayText) return "Your role may not send texts.";
  if (input.blockers.length) return input.blockers.join(" ");
  if (input.recipients === 0) return "Nobody is selected.";
  if (media.uploading) return "Wait until the images are uploaded.";
  if (media.failed) return "Remove the images that could not be uploaded.";
  if (length === 0 && media.ready === 0) return "Type a message or attach an image first.";
  if (length > MAX_BODY_CHARS) return `The message is ${length} characters; the most is ${MAX_BODY_CHARS}.`;
  if (input.scheduling && !input.sendAt) return "Pick when it should go.";
  if (input.sending) return "Sending…";
  return null;
}

function applyReplacements(body: string, preview: Preview): string {
  return preview.replacements.reduce((text, item) => text.split(item.original).join(item.replacement), body);
}

function sentWords(outcome: Outcome): string[] {
  if (outcome.kind === "scheduled") return [`Scheduled for ${new Date(outcome.scheduled.local_send_at).toLocaleString()}.`];
  if (outcome.kind === "bulk") return [];
  const { messages, skipped, warnings } = outcome.result;
  return [
    `Sent to ${messages.length} phone${messages.length === 1 ? "" : "s"}.`,
    ...skipped.map((item) => `One phone was skipped: ${skipWords(item.reason)}.`),
    ...warnings,
  ];
}

export function Composer({ audience, recipients, blockers = [], notices = [], customFields = [], onSent }: Props) {
  const me = useMe().data;
  const [draft, setDraft] = useState("");
  const [reply, setReply] = useState<CannedReply | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const [sendAt, setSendAt] = useState("");
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [slashIndex, setSlashIndex] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const ids = { why: useId(), list: useId(), counter: useId() };

  const single = "contactId" in audience ? audience.contactId : undefined;
  const settled = useDebounced(draft, PREVIEW_DEBOUNCE_MS);
  const attachments = useAttachments();
  const mediaIds = attachments.ready;
  const preview = usePreview(settled, single, Math.max(recipients, 1), mediaIds);
  const hasContent = Boolean(draft.trim()) || mediaIds.length > 0;
  const replies = useCannedReplies();
  const send = useSend(audience);

  const slash = slashQuery(draft);
  const slashMatches = slash === null ? [] : matchingReplies(replies.data?.canned_replies ?? [], slash);
  const mayText = !me || can(me, "contactId" in audience ? "POST /api/messages" : "POST /api/bulk-sends");
  const why = sendBlockedBecause({
    body: draft, recipients, blockers, mayText, sending: send.isPending, scheduling, sendAt,
    media: { ready: mediaIds.length, uploading: attachments.uploading, failed: attachments.items.some((item) => item.error) },
  });

  function pick(chosen: CannedReply) {
    setDraft(chosen.body);
    setReply(chosen);
    box.current?.focus();
  }

  function insert(text: string) {
    const area = box.current;
    const at = area ? area.selectionStart : draft.length;
    const end = area ? area.selectionEnd : draft.length;
    setDraft(draft.slice(0, at) + text + draft.slice(end));
    requestAnimationFrame(() => { area?.focus(); area?.setSelectionRange(at + text.length, at + text.length); });
  }

  function submit(confirmDuplicate = false) {
    if (why) return;
    const sendLater = scheduling ? `${sendAt}:00`.slice(0, 19) : undefined;
    // A confirmed repeat is a new request: it needs its own idempotency key.
    const idempotencyKey = confirmDuplicate ? crypto.randomUUID() : key;
    send.mutate(
      { body: draft.trim(), mediaIds, cannedReplyId: reply?.canned_reply_id, sendAt: sendLater, idempotencyKey, confirmDuplicate },
      {
        onSuccess: (done) => {
          setOutcome(done);
          setDraft("");
          setReply(null);
          attachments.clear();
          setScheduling(false);
          setSendAt("");
          setKey(crypto.randomUUID());
          onSent?.(done);
        },
      },
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (slashMatches.length) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setSlashIndex((slashIndex + step + slashMatches.length) % slashMatches.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(slashMatches[Math.min(slashIndex, slashMatches.length - 1)]);
        return;
      }
    }
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={(event) => { event.preventDefault(); submit(); }}>
      {blockers.length > 0 && (
        <ul className="blockers" aria-label="Why this text cannot go">
          {blockers.map((blocker) => <li key={blocker}>{blocker}</li>)}
        </ul>
      )}
      {notices.length > 0 && (
        <ul className="notices" aria-label="Before you send">
          {notices.map((notice) => <li key={notice}>{notice}</li>)}
        </ul>
      )}
      <label className="composer-label">
        <span>Message</span>
        <textarea ref={box} rows={4} value={draft} maxLength={MAX_BODY_CHARS + 400} aria-describedby={ids.counter}
          placeholder='Type a message, or "/" for a saved reply' aria-controls={slash !== null ? ids.list : undefined}
          aria-activedescendant={slashMatches.length ? `${ids.list}-${slashIndex}` : undefined}
          onChange={(event) => { setDraft(event.target.value); setSlashIndex(0); setOutcome(null); }} onKeyDown={onKeyDown} />
      </label>
      {slash !== null && replies.data && <CannedReplyList replies={slashMatches} active={slashIndex} listId={ids.list} onPick={pick} />}
      {reply && <AppliedReply reply={reply} onDetach={() => setReply(null)} />}
      <div id={ids.counter} aria-live="polite">
        <Counter preview={hasContent ? preview.data : undefined} pending={preview.isFetching || settled !== draft}
          error={hasContent ? preview.error : null} empty={!hasContent} onFix={(shown) => setDraft(applyReplacements(draft, shown))} />
      </div>
      <DraftAttachments items={attachments.items} refusals={attachments.refusals} onRemove={attachments.remove} />
      <div className="composer-tools">
        <AttachButton onChoose={(files) => { attachments.add(files); setOutcome(null); }} />
        <MergeFields customFields={customFields} onInsert={insert} />
        {replies.data && replies.data.canned_replies.length > 0 && (
          <label>
            <span className="visually-hidden">Saved replies</span>
            <select aria-label="Saved replies" value="" onChange={(event) => {
              const chosen = replies.data.canned_replies.find((item) => item.canned_reply_id === event.target.value);
              if (chosen) pick(chosen);
            }}>
              <option value="">Saved replies…</option>
              {replies.data.canned_replies.map((item) => <option key={item.canned_reply_id} value={item.canned_reply_id}>{item.name}</option>)}
            </select>
          </label>
        )}
        <label className="schedule-toggle">
          <input type="checkbox" checked={scheduling} onChange={(event) => setScheduling(event.target.checked)} /> Send later
        </label>
        {scheduling && (
          <label>
            <span className="visually-hidden">When to send</span>
            <input type="datetime-local" aria-label="When to send" value={sendAt} onChange={(event) => setSendAt(event.target.value)} />
          </label>
        )}
      </div>
      <div className="composer-send">
        <button type="submit" className="primary" disabled={Boolean(why)} aria-describedby={why ? ids.why : undefined}>
          {scheduling ? "Schedule" : "Send"}
        </button>
        {why && <span id={ids.why} className="why-disabled" data-testid="send-disabled-reason">{why}</span>}
      </div>
      {send.isError && (
        <p className="error" role="alert">
          {send.error.message}{" "}
          {send.error instanceof ApiProblem && send.error.status === 409 && (
            <button type="button" onClick={() => submit(true)}>Send it again anyway</button>
          )}
        </p>
      )}
      {outcome && sentWords(outcome).map((line) => <p key={line} className="sent-note" role="status">{line}</p>)}
    </form>
  );
}
