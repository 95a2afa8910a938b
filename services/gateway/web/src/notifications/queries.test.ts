import { describe, expect, it } from "vitest";
import { subjectOf } from "./queries";

describe("where a notification leads", () => {
  it("a reply opens its conversation in the inbox, even when it names the contact too", () => {
    expect(subjectOf({ conversation_id: "c1", message_id: "m1", contact_id: "p1" })).toBe("/inbox/c1");
  });

  it("other subjects open their screens", () => {
    expect(subjectOf({ contact_id: "p1" })).toBe("/contacts/p1");
    expect(subjectOf({ number_id: "n1" })).toBe("/numbers");
    expect(subjectOf({ registration_id: "r1" })).toBe("/registration");
    expect(subjectOf({ user_id: "u1" }, "number_purchase_failed")).toBe("/numbers");
    expect(subjectOf({ user_id: "u1" })).toBe("/users");
    expect(subjectOf({})).toBeNull();
  });
});
