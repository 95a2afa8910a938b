// A CSV file dropped on the zone or chosen with the button (both reach the same input's handler).
import { useId, useRef, useState, type DragEvent } from "react";

const CSV = /\.csv$/i;

export function DropZone({ onFile, busy }: { onFile: (file: File) => void; busy: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const hint = useId();

  function take(file: File | undefined) {
    if (!file) return;
    if (!CSV.test(file.name) && !file.type.includes("csv")) {
      setRefused(`“${file.name}” is not a CSV file: export the sheet as CSV (comma-separated) and try again.`);
      return;
    }
    setRefused(null);
    onFile(file);
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    if (!busy) take(event.dataTransfer.files[0]);
  }

  return (
    <div className={over ? "drop-zone over" : "drop-zone"} data-testid="drop-zone"
      onDragOver={(event) => { event.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)} onDrop={drop}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="32" height="32">
        <path fill="currentColor" d="M12 3 7 8h3v6h4V8h3l-5-5Zm-7 14v3h14v-3h2v5H3v-5h2Z" />
      </svg>
      <p id={hint}>{busy ? "Uploading…" : "Drop a CSV file here, or"}</p>
      <input ref={input} type="file" accept=".csv,text/csv" className="visually-hidden" tabIndex={-1}
        aria-label="CSV file to import" onChange={(event) => { take(event.target.files?.[0]); event.target.value = ""; }} />
      <button type="button" className="primary" disabled={busy} aria-describedby={hint} onClick={() => input.current?.click()}>
        Choose a CSV file
      </button>
      <p className="muted small">The first row names the columns. UTF-8 text, up to 512 MB.</p>
      {refused && <p className="form-error" role="alert">{refused}</p>}
    </div>
  );
}
