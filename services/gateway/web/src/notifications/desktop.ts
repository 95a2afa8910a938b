// The browser's own notifications, for a reply that lands while this tab is in the background
// (in view, the toast says it). Permission is asked only when the user presses the button.

export type DesktopPermission = NotificationPermission | "unsupported";

export function desktopPermission(): DesktopPermission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

export async function askForDesktopAlerts(): Promise<DesktopPermission> {
  if (typeof Notification === "undefined") return "unsupported";
  return Notification.requestPermission();
}

export const PERMISSION_WORDS: Record<DesktopPermission, string> = {
  default: "Show desktop alerts",
  granted: "Desktop alerts are on while this tab is in the background",
  denied: "Desktop alerts are blocked in this browser's settings",
  unsupported: "This browser cannot show desktop alerts",
};

/** Shows a desktop alert when allowed and the tab is hidden; whether it did. */
export function showDesktopAlert(alert: { id: string; title: string; body: string }, onOpen: () => void): boolean {
  if (desktopPermission() !== "granted" || document.visibilityState !== "hidden") return false;
  const shown = new Notification(alert.title, { body: alert.body, tag: alert.id });
  shown.onclick = () => {
    window.focus();
    onOpen();
    shown.close();
  };
  return true;
}
