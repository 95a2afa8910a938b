import type { FormEvent, ReactNode } from "react";

export function AuthForm(props: { title: string; error: string | null; busy: boolean; submit: string; onSubmit: (form: FormData) => void; children: ReactNode; footer: ReactNode }) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit(new FormData(event.currentTarget));
  }
  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} aria-labelledby="auth-title">
        <h1 id="auth-title">{props.title}</h1>
        {props.children}
        {props.error && (
          <p className="form-error" role="alert">
            {props.error}
          </p>
        )}
        <button type="submit" className="primary" disabled={props.busy}>
          {props.busy ? "One moment…" : props.submit}
        </button>
        <p className="auth-footer">{props.footer}</p>
      </form>
    </main>
  );
}

export function Field(props: { label: string; name: string; type?: string; autoComplete?: string; required?: boolean; minLength?: number; hint?: string }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input name={props.name} type={props.type ?? "text"} autoComplete={props.autoComplete} required={props.required ?? true} minLength={props.minLength} />
      {props.hint && <small>{props.hint}</small>}
    </label>
  );
}
