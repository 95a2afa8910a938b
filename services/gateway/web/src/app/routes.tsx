// Every screen of the signed-in client: its URL, where it sits in the sidebar, and who sees it.
// A screen is listed here only once it is built; add new ones here (one folder per screen).
import type { ReactNode } from "react";
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

export const SCREENS: Screen[] = [
  { path: "contacts", element: <ContactsScreen />, nav: { label: "Management", section: "Contacts" }, needs: "GET /api/contacts" },
];

export function visibleScreens(me: Me | undefined): Screen[] {
  return SCREENS.filter((screen) => screen.nav && (!screen.needs || me?.permissions.includes(screen.needs)));
}

/** Whether a client route (e.g. "/inbox/123") leads to a built screen. */
export function isBuilt(route: string): boolean {
  const first = route.replace(/^\//, "").split("/")[0];
  return SCREENS.some((screen) => screen.path.split("/")[0] === first);
}
