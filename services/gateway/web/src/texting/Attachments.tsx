// The composer's "Attach image" button and the chosen images as removable thumbnails.
import { useRef } from "react";
import { MEDIA_TYPES, sizeWords, type Attachment } from "./attachments";

export function AttachButton({ onChoose, disabled }: { onChoose: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={disabled}>Attach image</button>
      <input ref={input} type="file" className="visually-hidden" tabIndex={-1} aria-label="Attach image" multiple
        accept={MEDIA_TYPES.join(",")} data-testid="attach-input"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = "";
          if (files.length) onChoose(files);
        }} />
    </>
  );
}

function Thumbnail({ item, onRemove }: { item: Attachment; onRemove: () => void }) {
  const state = item.error ? "failed" : item.media ? "ready" : "uploading";
  return (
    <li className={`draft-attachment ${state}`} aria-busy={state === "uploading"}>
      <img src={item.previewUrl} alt={item.name} />
      <span className="muted">
        {sizeWords(item.size)}
        {state === "uploading" && " · uploading…"}
      </span>
      <button type="button" className="link-button" onClick={onRemove} aria-label={`Remove ${item.name}`}>Remove</button>
    </li>
  );
}

export function DraftAttachments({ items, refusals, onRemove }: { items: Attachment[]; refusals: string[]; onRemove: (localId: string) => void }) {
  const problems = [...refusals, ...items.flatMap((item) => (item.error ? [item.error] : []))];
  return (
    <>
      {items.length > 0 && (
        <ul className="draft-attachments" aria-label="Attached images">
          {items.map((item) => <Thumbnail key={item.localId} item={item} onRemove={() => onRemove(item.localId)} />)}
        </ul>
      )}
      {problems.length > 0 && (
        <ul className="error" role="alert" aria-label="Images not attached">
          {problems.map((line) => <li key={line}>{line}</li>)}
        </ul>
      )}
    </>
  );
}
