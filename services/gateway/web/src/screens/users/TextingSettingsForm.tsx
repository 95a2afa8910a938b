// The account's texting choices: its own quiet hours (inside the legal 8am–9pm window, which
// always applies), the automatic STOP/HELP/START replies, opt-out scope and the assignment timeout.
import { useState, type FormEvent } from "react";
import { problemsByField } from "./fieldProblems";
import { useSaveTextingSettings, useTextingSettings, type TextingSettings, type TextingSettingsChange } from "./queries";

type Draft = {
  quiet: boolean; start: string; end: string;
  help_reply: string; opt_out_reply: string; opt_in_reply: string;
  opt_out_scope: "phone" | "person"; assignment_timeout_minutes: string;
};

const hhmm = (time: string | undefined, fallback: string) => (time ? time.slice(0, 5) : fallback);

function draftOf(settings: TextingSettings): Draft {
  return {
    quiet: Boolean(settings.quiet_hours),
    start: hhmm(settings.quiet_hours?.start, "20:00"),
    end: hhmm(settings.quiet_hours?.end, "09:00"),
    help_reply: settings.help_reply ?? "",
    opt_out_reply: settings.opt_out_reply ?? "",
    opt_in_reply: settings.opt_in_reply ?? "",
    opt_out_scope: settings.opt_out_scope ?? "phone",
    assignment_timeout_minutes: String(settings.assignment_timeout_minutes ?? 30),
  };
}

/** The PUT body: an emptied reply goes back to the standard one (null). */
export function changeOf(draft: Draft): TextingSettingsChange {
  return {
    quiet_hours: draft.quiet ? { start: draft.start, end: draft.end } : null,
    help_reply: draft.help_reply.trim() || null,
    opt_out_reply: draft.opt_out_reply.trim() || null,
    opt_in_reply: draft.opt_in_reply.trim() || null,
    opt_out_scope: draft.opt_out_scope,
    assignment_timeout_minutes: Number(draft.assignment_timeout_minutes),
  };
}

const REPLIES = [
  ["opt_out_reply", "Reply to STOP", "Sent once when someone opts out"],
  ["help_reply", "Reply to HELP", "Who you are and how to stop texts"],
  ["opt_in_reply", "Reply to START", "Sent when someone opts back in"],
] as const;

function Form({ settings, canSave }: { settings: TextingSettings; canSave: boolean }) {
  const [draft, setDraft] = useState(() => draftOf(settings));
  const save = useSaveTextingSettings();
  const refused = problemsByField(save.error);
  const set = <K extends keyof Draft>(name: K, value: Draft[K]) => {
    save.reset();
    setDraft((current) => ({ ...current, [name]: value }));
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(changeOf(draft));
  }
  return (
    <form className="texting-settings" onSubmit={submit} aria-labelledby="texting-settings-title">
      <h2 id="texting-settings-title">Texting settings</h2>
      <fieldset disabled={!canSave}>
        <legend>Quiet hours</legend>
        <p className="muted">Texts are never sent outside 8:00–21:00 where the person lives; you can hold them longer.</p>
        <label className="checkbox">
          <input type="checkbox" checked={draft.quiet} onChange={(event) => set("quiet", event.target.checked)} /> Also hold texts between
        </label>
        <div className="row">
          <label>Start <input type="time" value={draft.start} disabled={!draft.quiet} onChange={(event) => set("start", event.target.value)} /></label>
          <label>End <input type="time" value={draft.end} disabled={!draft.quiet} onChange={(event) => set("end", event.target.value)} /></label>
        </div>
        {refused.fields.quiet_hours && <small className="field-problem">{refused.fields.quiet_hours}</small>}
      </fieldset>
      <fieldset disabled={!canSave}>
        <legend>Automatic replies</legend>
        {REPLIES.map(([name, label, hint]) => (
          <label key={name} className="field">
            <span>{label}</span>
            <textarea rows={2} maxLength={320} value={draft[name]} placeholder="The standard reply" onChange={(event) => set(name, event.target.value)} />
            <small className={refused.fields[name] ? "field-problem" : undefined}>{refused.fields[name] ?? `${hint}; leave empty for the standard reply`}</small>
          </label>
        ))}
        <label className="field">
          <span>A STOP applies to</span>
          <select value={draft.opt_out_scope} onChange={(event) => set("opt_out_scope", event.target.value as Draft["opt_out_scope"])}>
            <option value="phone">The phone that sent it</option>
            <option value="person">Every phone of that person</option>
          </select>
        </label>
        <label className="field">
          <span>Minutes a reply may wait unopened before anyone may claim its thread</span>
          <input type="number" min={1} max={10080} required value={draft.assignment_timeout_minutes}
            onChange={(event) => set("assignment_timeout_minutes", event.target.value)} />
          {refused.fields.assignment_timeout_minutes && <small className="field-problem">{refused.fields.assignment_timeout_minutes}</small>}
        </label>
      </fieldset>
      {refused.other && <p className="form-error" role="alert">Could not save: {refused.other}</p>}
      {save.isSuccess && <p className="sent-note" role="status">Saved.</p>}
      {canSave && <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save texting settings"}</button>}
    </form>
  );
}

export function TextingSettingsForm({ canSave }: { canSave: boolean }) {
  const settings = useTextingSettings();
  if (settings.isPending) return <p className="list-state" role="status"><span className="spinner" aria-hidden="true" /> Loading the texting settings…</p>;
  if (settings.isError) return <p className="list-state error" role="alert">The texting settings could not be loaded: {settings.error.message}</p>;
  return <Form settings={settings.data} canSave={canSave} />;
}
