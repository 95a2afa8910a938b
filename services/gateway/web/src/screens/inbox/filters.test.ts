import { describe, expect, it } from "vitest";
import { apiQuery, shows, viewFrom, withView } from "./filters";

describe("inbox views in the URL", () => {
  it("reads the view from ?show= and falls back to all for anything else", () => {
    expect(viewFrom(new URLSearchParams("show=mine"))).toBe("mine");
    expect(viewFrom(new URLSearchParams("show=unknown"))).toBe("unknown");
    expect(viewFrom(new URLSearchParams("show=everything"))).toBe("all");
    expect(viewFrom(new URLSearchParams(""))).toBe("all");
  });

  it("writes the view and keeps the other parameters; all is the bare URL", () => {
    const params = new URLSearchParams("show=unread&x=1");
    expect(withView(params, "unassigned").toString()).toBe("show=unassigned&x=1");
    expect(withView(params, "all").toString()).toBe("x=1");
    expect(viewFrom(withView(new URLSearchParams(), "unread"))).toBe("unread");
  });

  it("asks the API for what it filters itself", () => {
    expect(apiQuery("all")).toEqual({ inbox: "all", assignment: "all" });
    expect(apiQuery("mine")).toEqual({ inbox: "all", assignment: "mine" });
    expect(apiQuery("unassigned")).toEqual({ inbox: "all", assignment: "unassigned" });
    expect(apiQuery("unknown")).toEqual({ inbox: "unknown", assignment: "all" });
    expect(apiQuery("unread")).toEqual({ inbox: "all", assignment: "all" });
  });

  it("keeps only threads with unread replies in the unread view", () => {
    expect(shows("unread", { unread_count: 0 })).toBe(false);
    expect(shows("unread", { unread_count: 2 })).toBe(true);
    expect(shows("mine", { unread_count: 0 })).toBe(true);
  });
});
