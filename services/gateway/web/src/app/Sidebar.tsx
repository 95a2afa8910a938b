import { useState } from "react";
import { NavLink } from "react-router";
import type { Me } from "../session/me";
import { visibleScreens, type Screen } from "./routes";

function grouped(screens: Screen[]): [string | undefined, Screen[]][] {
  const groups = new Map<string | undefined, Screen[]>();
  for (const screen of screens) {
    const section = screen.nav?.section;
    groups.set(section, [...(groups.get(section) ?? []), screen]);
  }
  return [...groups.entries()];
}

export function Sidebar({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  return (
    <nav className={open ? "sidebar open" : "sidebar"} aria-label="Main">
      <div className="brand">
        <span>Contacts CRM</span>
        <button type="button" className="menu-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          Menu
        </button>
      </div>
      {grouped(visibleScreens(me)).map(([section, screens]) => (
        <div key={section ?? "top"} className="nav-group">
          {section && <div className="nav-section">{section}</div>}
          <ul>
            {screens.map((screen) => (
              <li key={screen.path}>
                <NavLink to={`/${screen.path}`} onClick={() => setOpen(false)}>
                  {screen.nav!.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
