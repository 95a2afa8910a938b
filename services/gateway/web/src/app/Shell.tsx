import { Outlet } from "react-router";
import { Sidebar } from "./Sidebar";
import { TopBar } from "./TopBar";
import { useMe } from "../session/me";
import { LiveNotifications } from "../notifications/LiveNotifications";

export function Shell() {
  const me = useMe();
  if (me.isPending) return <p className="page-state" role="status">Loading your account…</p>;
  if (me.isError) return <p className="page-state error" role="alert">{me.error.message}</p>;
  return (
    <LiveNotifications>
      <div className="shell">
        <a className="skip-link" href="#main">Skip to content</a>
        <Sidebar me={me.data} />
        <div className="shell-body">
          <TopBar me={me.data} />
          <main id="main" tabIndex={-1}>
            <Outlet />
          </main>
        </div>
      </div>
    </LiveNotifications>
  );
}
