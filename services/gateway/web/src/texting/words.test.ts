import { describe, expect, it } from "vitest";
import { deliveryOf } from "./words";

describe("a held text in words", () => {
  it("says when it goes in the recipient's own time zone, not only the reader's", () => {
    const held = deliveryOf({ status: "scheduled", hold_reason: "quiet_hours", hold_zone: "America/Chicago", release_at: "2026-12-07T14:00:00Z" });
    expect(held.tick).toBe("held");
    expect(held.words).toMatch(/^Held: quiet hours there until 8:00\s?AM their time \(America\/Chicago\), .+ yours$/);
  });

  it("gives the reader's time alone when the zone is not known", () => {
    const held = deliveryOf({ status: "scheduled", hold_reason: "sender_rate", release_at: "2026-12-07T14:00:00Z" });
    expect(held.words).toMatch(/^Held: your number's sending rate until /);
    expect(held.words).not.toMatch(/their time/);
  });
});
