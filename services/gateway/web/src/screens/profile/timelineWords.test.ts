import { describe, expect, it } from "vitest";
import { describeEntry, type Context, type TimelineEntry } from "./timelineWords";

const context: Context = {
  userName: (id) => ({ u1: "Demo Organiser", u2: "Riley Texter" })[id],
  phoneLabel: (id) => ({ p1: "(512) 555-0101" })[id],
};

function entry(kind: string, detail: Record<string, unknown> = {}, by: string | null = "u1", source = "user"): TimelineEntry {
  return { at: "2025-06-01T12:00:00Z", kind, by_user_id: by, source, detail };
}

describe("the timeline in words", () => {
  it("names who texted which number", () => {
    expect(describeEntry(entry("texted", { to_number: "+15125550101", message_id: "m1" }), context)).toBe("Demo Organiser texted (512) 555-0101");
  });

  it("quotes a reply once its text is known", () => {
    const reply = entry("replied", { message_id: "m2", phone_id: "p1" }, null, "system");
    expect(describeEntry(reply, context)).toBe("Replied");
    expect(describeEntry(reply, { ...context, replyBody: "Yes! Count me in" })).toBe("Replied: Yes! Count me in");
  });

  it("says how a person opted out or in", () => {
    expect(describeEntry(entry("opted_out", { phone_id: "p1", keyword: "STOP" }, null, "keyword"), context)).toBe("Opted out by replying STOP");
    expect(describeEntry(entry("opted_out", { phone_id: "p1" }, null, "carrier"), context)).toContain("at the carrier");
    expect(describeEntry(entry("opted_in", { phone_id: "p1", keyword: "START" }, null, "keyword"), context)).toBe("Opted in by replying START");
    expect(describeEntry(entry("opted_in", { phone_id: "p1", method: "verbal" }), context)).toBe("Opt-In recorded by Demo Organiser (verbal) for (512) 555-0101");
  });

  it("names who used the tag shortcuts", () => {
    expect(describeEntry(entry("tagged", { tag: "Wrong Number", phone_id: "p1" }), context)).toBe("Marked Wrong Number by Demo Organiser for (512) 555-0101");
    expect(describeEntry(entry("tagged", { tag: "Do Not Contact", phone_id: null }, "u2"), context)).toBe("Marked Do Not Contact by Riley Texter");
    expect(describeEntry(entry("untagged", { tag: "Volunteers", phone_id: null }), context)).toBe("Tag Volunteers taken off by Demo Organiser");
  });

  it("never shows an id: unknown users and removed phones are said in words", () => {
    const words = describeEntry(entry("tagged", { tag: "Wrong Number", phone_id: "gone" }, "u-unknown"), context);
    expect(words).toBe("Marked Wrong Number by a former user for a phone since removed");
    expect(describeEntry(entry("edited", { fields: ["first_name", "custom_fields"] }), context)).toBe("Demo Organiser changed first name and custom fields");
    expect(describeEntry(entry("created", {}, null, "import"), context)).toBe("Added by an import");
  });

  it("says how a call went", () => {
    const call = entry("called", { direction: "outbound", outcome: "completed", duration_seconds: 125, phone_id: "p1" });
    expect(describeEntry(call, context)).toBe("Demo Organiser called (512) 555-0101 (answered, 2 min)");
  });
});
