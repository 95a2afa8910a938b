// Every screen of the signed-in client: its URL, where it sits in the sidebar, and who sees it.
// A screen is listed here only once it is built; add new ones here (one folder per screen).
import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { ContactsScreen } from "../screens/contacts/ContactsScreen";
import type { Me } from "../session/me";

export type Screen = {
  path: string;
  element: ReactNode;
  /** Shown in the sidebar under this label (and section); omitted for screens reached by links. */
  nav?: { label: string; section?: string };
  /** The route the user's role must be allowed to call for the screen to be shown. */
  needs?: string;
};

/** A screen whose code loads when it is first opened, keeping the first load small. */
function lazyScreen(load: () => Promise<ComponentType>): ReactNode {
  const Lazy = lazy(async () => ({ default: await load() }));
  return (
    <Suspense fallback={<p className="page-state" role="status">Loading…</p>}>
      <Lazy />
    </Suspense>
  );
}

// One element for both inbox routes, so opening a thread keeps the list as it is.
const inbox = lazyScreen(async () => (await import("../screens/inbox/InboxScreen")).InboxScreen);

export const SCREENS: Screen[] = [
  { path: "contacts", element: <ContactsScreen />, nav: { label: "Management", section: "Contacts" }, needs: "GET /api/contacts" },
  { path: "contacts/:contactId", element: lazyScreen(async () => (await import("../screens/profile/ProfileScreen")).ProfileScreen), needs: "GET /api/contacts/{contact_id}" },
  { path: "inbox", element: inbox, nav: { label: "Inbox" }, needs: "GET /api/conversations" },
  { path: "inbox/:conversationId", element: inbox, needs: "GET /api/conversations" },
  { path: "imports", element: lazyScreen(async () => (await import("../screens/imports/ImportsScreen")).ImportsScreen), nav: { label: "Imports", section: "Contacts" }, needs: "GET /api/imports" },
  { path: "imports/:importId", element: lazyScreen(async () => (await import("../screens/imports/ImportScreen")).ImportScreen), needs: "GET /api/imports" },
  { path: "numbers", element: lazyScreen(async () => (await import("../screens/numbers/NumbersScreen")).NumbersScreen), nav: { label: "Numbers" }, needs: "GET /api/numbers/mine" },
  { path: "registration", element: lazyScreen(async () => (await import("../screens/registration/RegistrationScreen")).RegistrationScreen), nav: { label: "Registration" }, needs: "GET /api/registrations" },
  { path: "users", element: lazyScreen(async () => (await import("../screens/users/UsersScreen")).UsersScreen), nav: { label: "Users and settings" }, needs: "POST /api/users" },
];

/** Where a contact's profile opens. */
export function profileHref(contactId: string): string {
  return `/contacts/${encodeURIComponent(contactId)}`;
}

export function visibleScreens(me: Me | undefined): Screen[] {
  return SCREENS.filter((screen) => screen.nav && (!screen.needs || me?.permissions.includes(screen.needs)));
}

/** Whether a client route (e.g. "/inbox/123") leads to a built screen. */
export function isBuilt(route: string): boolean {
  const first = route.replace(/^\//, "").split("/")[0];
  return SCREENS.some((screen) => screen.path.split("/")[0] === first);
}
