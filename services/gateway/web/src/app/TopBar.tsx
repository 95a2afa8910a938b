import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/problems";
import { formatPhone } from "../format/phone";
import { Bell } from "../notifications/Bell";
import type { Me } from "../session/me";
import { session } from "../session/token";

const NUMBER_STATES: Record<string, string> = {
  awaiting_user: "Your texting number is being bought…",
  purchasing: "Your texting number is being bought…",
  failed: "Buying your texting number failed; it is being retried",
  releasing: "Your texting number is being released",
  released: "You have no texting number",
};

export function useMyNumber() {
  return useQuery({
    queryKey: ["numbers", "mine"],
    queryFn: async () => {
      const { data, response } = await api.GET("/api/numbers/mine");
      if (response.status === 404) return null;
      return unwrap(Promise.resolve({ data, response }));
    },
    refetchInterval: (query) => (query.state.data && !query.state.data.phone_number ? 5000 : false),
  });
}

function NumberState() {
  const mine = useMyNumber();
  if (mine.isPending) return <span className="number">…</span>;
  if (mine.isError) return <span className="number">Your number could not be loaded</span>;
  if (!mine.data) return <span className="number">You get your own number with your first text</span>;
  if (mine.data.phone_number)
    return (
      <span className="number" title={mine.data.phone_number}>
        Texting from <strong>{formatPhone(mine.data.phone_number)}</strong>
      </span>
    );
  return <span className="number">{NUMBER_STATES[mine.data.state] ?? `Your texting number: ${mine.data.state}`}</span>;
}

export function TopBar({ me }: { me: Me }) {
  return (
    <header className="top-bar">
      <NumberState />
      <div className="top-bar-end">
        <Bell />
        <span className="who" title={me.email}>
          {me.name} <span className="role">{me.role}</span>
        </span>
        <button type="button" className="link-button" onClick={() => session.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
