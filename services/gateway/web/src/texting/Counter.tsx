// Encoding, characters and segments of the text as typed, from the preview answer, and the
// offer to replace the smart characters that force UCS-2.
import type { Preview } from "./queries";

type Props = { preview: Preview | undefined; pending: boolean; error: Error | null; empty: boolean; onFix: (preview: Preview) => void };

const ENCODING_WORDS: Record<string, string> = { "GSM-7": "GSM-7", UCS2: "UCS-2", "UCS-2": "UCS-2" };

export function Counter({ preview, pending, error, empty, onFix }: Props) {
  if (empty) return <p className="counter muted" data-testid="counter">Type a message to see its length and cost.</p>;
  if (error) return <p className="counter error" data-testid="counter">{error.message}</p>;
  if (!preview) return <p className="counter muted" data-testid="counter">Counting…</p>;
  const segments = `${preview.segments} segment${preview.segments === 1 ? "" : "s"}`;
  const people = preview.recipients > 1 ? ` to ${preview.recipients.toLocaleString()} people` : "";
  if (preview.mms) {
    return (
      <div className={pending ? "counter stale" : "counter"} data-testid="counter">
        <p>
          <span data-testid="mms">MMS: priced as one picture message</span>
          <span className="muted"> · {preview.characters} characters · about ${preview.estimated_cost}{people}</span>
        </p>
        {preview.warnings.map((warning) => <p key={warning} className="warning">{warning}</p>)}
      </div>
    );
  }
  return (
    <div className={pending ? "counter stale" : "counter"} data-testid="counter">
      <p>
        <span data-testid="encoding">{ENCODING_WORDS[preview.encoding] ?? preview.encoding}</span> ·{" "}
        <span data-testid="characters">{preview.characters} characters</span> · <span data-testid="segments">{segments}</span>
        <span className="muted"> · about ${preview.estimated_cost}{people}</span>
      </p>
      {preview.suggested_body && (
        <p className="offer">
          {preview.replacements.map((item) => `${item.original} → ${item.replacement}`).join(", ")} would make it{" "}
          {ENCODING_WORDS[preview.suggested_encoding ?? ""] ?? preview.suggested_encoding}, {preview.suggested_segments} segment
          {preview.suggested_segments === 1 ? "" : "s"}.{" "}
          <button type="button" className="link-button" onClick={() => onFix(preview)}>Use plain characters</button>
        </p>
      )}
      {preview.warnings.map((warning) => <p key={warning} className="warning">{warning}</p>)}
    </div>
  );
}
