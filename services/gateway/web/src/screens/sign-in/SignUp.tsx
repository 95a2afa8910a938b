import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "react-router";
import { api } from "../../api/client";
import { ApiProblem, unwrap } from "../../api/problems";
import { session } from "../../session/token";
import { AuthForm, Field } from "./AuthForm";

const ALREADY_REGISTERED = "Could not sign you in with this password. If this email has an account already, sign in with its own password.";

export function SignUp() {
  const navigate = useNavigate();
  const signUp = useMutation({
    mutationFn: async (form: FormData) => {
      const email = String(form.get("email"));
      const password = String(form.get("password"));
      await unwrap(
        api.POST("/api/accounts", {
          body: {
            account_name: String(form.get("account_name")),
            name: String(form.get("name")),
            email,
            password,
            primary_cell: String(form.get("primary_cell") || "") || null,
          },
        }),
      );
      // Sign-up answers alike for a new and a registered email; signing in opens the session.
      return unwrap(api.POST("/api/auth/login", { body: { email, password } })).catch((problem: unknown) => {
        throw problem instanceof ApiProblem && problem.status === 401 ? new Error(ALREADY_REGISTERED) : problem;
      });
    },
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
      <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={12} hint="12 to 128 characters, hard to guess" />
      <Field label="Your cell phone" name="primary_cell" type="tel" autoComplete="tel" required={false} hint="Calls to your texting number ring it" />
    </AuthForm>
  );
}
