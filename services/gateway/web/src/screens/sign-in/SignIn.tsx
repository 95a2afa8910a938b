import { useMutation } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import { session } from "../../session/token";
import { AuthForm, Field } from "./AuthForm";

export function SignIn() {
  const signIn = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(api.POST("/api/auth/login", { body: { email: String(form.get("email")), password: String(form.get("password")) } })),
    onSuccess: (answer) => session.signIn(answer.access_token),
  });
  const error = signIn.error && ("status" in signIn.error && signIn.error.status === 401 ? "Wrong email or password" : signIn.error.message);
  return (
    <AuthForm title="Sign in" submit="Sign in" busy={signIn.isPending} error={error || null} onSubmit={(form) => signIn.mutate(form)}
      footer={<>New here? <Link to="/sign-up">Create an account</Link></>}>
      <Field label="Email" name="email" type="email" autoComplete="username" />
      <Field label="Password" name="password" type="password" autoComplete="current-password" />
    </AuthForm>
  );
}
