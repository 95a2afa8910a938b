// Opt-In records the person's consent for one phone: how they gave it is required.
import * as Dialog from "@radix-ui/react-dialog";
import { useState, type FormEvent } from "react";

export const CONSENT_METHODS = [
  { value: "verbal", label: "Said yes in person or on a call" },
  { value: "web form", label: "Signed up on a web form" },
  { value: "paper form", label: "Signed a paper form" },
  { value: "text", label: "Asked by text" },
] as const;

type Props = {
  open: boolean;
  number: string;
  busy: boolean;
  error: string | null;
  onOpenChange: (open: boolean) => void;
  onSubmit: (consent: { method: string; note?: string }) => void;
};

export function OptInDialog(props: Props) {
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const method = String(form.get("method") ?? "");
    const note = String(form.get("note") ?? "").trim();
    if (!method) {
      setMissing(true);
      return;
    }
    setMissing(false);
    props.onSubmit(note ? { method, note } : { method });
  }

  return (
    <Dialog.Root open={props.open} onOpenChange={(open) => { setMissing(false); props.onOpenChange(open); }}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>Opt-In for {props.number}</Dialog.Title>
          <Dialog.Description>Record that this person agreed to be texted at this number.</Dialog.Description>
          <form onSubmit={submit} noValidate>
            <fieldset aria-describedby={missing ? "consent-missing" : undefined}>
              <legend>How did they give consent?</legend>
              {CONSENT_METHODS.map((method) => (
                <label key={method.value} className="choice">
                  <input type="radio" name="method" value={method.value} onChange={() => setMissing(false)} /> {method.label}
                </label>
              ))}
            </fieldset>
            {missing && <p id="consent-missing" className="form-error" role="alert">Say how they gave consent before recording the opt-in.</p>}
            <label className="field">
              <span>Note (optional)</span>
              <input name="note" maxLength={500} />
            </label>
            {props.error && <p className="form-error" role="alert">{props.error}</p>}
            <div className="dialog-actions">
              <Dialog.Close asChild><button type="button">Cancel</button></Dialog.Close>
              <button type="submit" className="primary" disabled={props.busy}>{props.busy ? "Recording…" : "Record opt-in"}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
