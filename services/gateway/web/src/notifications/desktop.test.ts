import { afterEach, describe, expect, it, vi } from "vitest";
import { showDesktopAlert } from "./desktop";

class FakeNotification {
  static permission: NotificationPermission = "granted";
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(readonly title: string, readonly options: NotificationOptions) {
    FakeNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

function hidden(isHidden: boolean) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (isHidden ? "hidden" : "visible") });
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeNotification.shown = [];
});

describe("desktop alerts", () => {
  const alert = { id: "n1", title: "Avery Johnson: Yes! Count me in", body: "" };

  it("alerts while the tab is hidden, and clicking opens the subject", () => {
    vi.stubGlobal("Notification", FakeNotification);
    FakeNotification.permission = "granted";
    hidden(true);
    const open = vi.fn();
    expect(showDesktopAlert(alert, open)).toBe(true);
    const [shown] = FakeNotification.shown;
    expect(shown.title).toBe("Avery Johnson: Yes! Count me in");
    expect(shown.options.tag).toBe("n1");
    shown.onclick!();
    expect(open).toHaveBeenCalledOnce();
    expect(shown.closed).toBe(true);
  });

  it("leaves it to the toast while the tab is in view", () => {
    vi.stubGlobal("Notification", FakeNotification);
    hidden(false);
    expect(showDesktopAlert(alert, vi.fn())).toBe(false);
    expect(FakeNotification.shown).toEqual([]);
  });

  it("never alerts without the user's permission", () => {
    vi.stubGlobal("Notification", FakeNotification);
    FakeNotification.permission = "default";
    hidden(true);
    expect(showDesktopAlert(alert, vi.fn())).toBe(false);
    expect(FakeNotification.shown).toEqual([]);
  });
});
