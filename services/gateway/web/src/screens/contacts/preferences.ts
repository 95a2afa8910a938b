// What each user keeps for the grid in this browser: saved views (named filter URLs) and hidden columns.

export type SavedView = { name: string; query: string };

const viewsKey = (userId: string) => `crm.contacts.views.${userId}`;
const columnsKey = (userId: string) => `crm.contacts.hidden-columns.${userId}`;
const MAX_VIEWS = 50;

function read<T>(key: string, fallback: T): T {
  try {
    const stored = localStorage.getItem(key);
    return stored ? (JSON.parse(stored) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function savedViews(userId: string): SavedView[] {
  const views = read<SavedView[]>(viewsKey(userId), []);
  return Array.isArray(views) ? views.filter((view) => typeof view?.name === "string" && typeof view?.query === "string") : [];
}

/** Saves (or replaces, by name) a view; the newest first. */
export function saveView(userId: string, view: SavedView): SavedView[] {
  const views = [view, ...savedViews(userId).filter((kept) => kept.name !== view.name)].slice(0, MAX_VIEWS);
  localStorage.setItem(viewsKey(userId), JSON.stringify(views));
  return views;
}

export function deleteView(userId: string, name: string): SavedView[] {
  const views = savedViews(userId).filter((kept) => kept.name !== name);
  localStorage.setItem(viewsKey(userId), JSON.stringify(views));
  return views;
}

export function hiddenColumns(userId: string): string[] {
  const hidden = read<string[]>(columnsKey(userId), []);
  return Array.isArray(hidden) ? hidden.filter((id) => typeof id === "string") : [];
}

export function saveHiddenColumns(userId: string, hidden: string[]): void {
  localStorage.setItem(columnsKey(userId), JSON.stringify(hidden));
}
