import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import { session } from "../../session/token";
import { AuthForm, Field } from "./AuthForm";

export function SignUp() {
  const navigate = useNavigate();
  const signUp = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(
        api.POST("/api/accounts", {
          body: {
            account_name: String(form.get("account_name")),
            name: String(form.get("name")),
            email: String(form.get("email")),
            password: String(form.get("password")),
            primary_cell: String(form.get("primary_cell") || "") || null,
          },
        }),
      ),
    onSuccess: (answer) => {
      navigate("/contacts");
      session.signIn(answer.access_token);
    },
  });
  return (
    <AuthForm title="Create your account" submit="Create account" busy={signUp.isPending} error={signUp.error?.message ?? null}
      onSubmit={(form) => signUp.mutate(form)} footer={<>Have an account? <Link to="/">Sign in</Link></>}>
      <Field label="Organisation" name="account_name" autoComplete="organization" />
      <Field label="Your name" name="name" autoComplete="name" />
      <Field label="Email" name="email" type="email" autoComplete="email" />
      <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={10} hint="At least 10 characters" />
      <Field label="Your cell phone" name="primary_cell" type="tel" autoComplete="tel" required={false} hint="Calls to your texting number ring it" />
    </AuthForm>
  );
}
