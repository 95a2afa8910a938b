// The signed-in browser session: the access token lives in sessionStorage (one tab, one person).

const KEY = "crm.token";
const listeners = new Set<() => void>();

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn(token: string) {
    sessionStorage.setItem(KEY, token);
    listeners.forEach((listener) => listener());
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    listeners.forEach((listener) => listener());
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
