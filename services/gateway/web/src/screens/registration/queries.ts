import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/problems";
import type { Draft, Registration, RegistrationState } from "./steps";

// While the carrier reviews it the registration moves on by itself; ask about it now and then.
const IN_REVIEW_REFRESH_MS = 10_000;

/** The registration (its state alone for a texter), or null while the account has none. */
export function useRegistration() {
  return useQuery({
    queryKey: ["registration"],
    queryFn: async (): Promise<Registration | RegistrationState | null> => {
      const answer = await api.GET("/api/registrations");
      if (answer.response.status === 404) return null;
      return unwrap(Promise.resolve(answer));
    },
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === "submitted" || state === "in_review" ? IN_REVIEW_REFRESH_MS : false;
    },
  });
}

export function isWhole(registration: Registration | RegistrationState | null | undefined): registration is Registration {
  return Boolean(registration && "company_name" in registration);
}

export function useSaveDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: Draft) => unwrap(api.PUT("/api/registrations", { body: draft })),
    onSuccess: (saved) => client.setQueryData(["registration"], saved),
  });
}

export function useSubmit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/registrations/submit")),
    onSuccess: (submitted) => client.setQueryData(["registration"], submitted),
  });
}
