import { describe, expect, it } from "vitest";
import { assignmentWords, conversationTitle, lastMessageLine } from "./words";

const names = new Map([["c1", "Avery Johnson"], ["u2", "Dana Lee"]]);

describe("conversation words", () => {
  it("names a known contact and formats an unknown sender's number", () => {
    expect(conversationTitle({ contact_id: "c1", their_number: "+15125550101" }, names)).toBe("Avery Johnson");
    expect(conversationTitle({ contact_id: null, their_number: "+15125550101" }, names)).toBe("(512) 555-0101");
    // a contact whose name has not loaded yet shows the number meanwhile
    expect(conversationTitle({ contact_id: "c9", their_number: "+15125550101" }, names)).toBe("(512) 555-0101");
  });

  it("quotes the last message, marking our own", () => {
    expect(lastMessageLine({ their_number: "", last_message: { direction: "inbound", body: "Yes! Count me in" } })).toBe("Yes! Count me in");
    expect(lastMessageLine({ their_number: "", last_message: { direction: "outbound", body: "Can we count on you?" } })).toBe("You: Can we count on you?");
    expect(lastMessageLine({ their_number: "" })).toBe("No messages yet");
  });

  it("says who holds the thread", () => {
    expect(assignmentWords({ their_number: "", assigned_user_id: "u1" }, "u1", names)).toBe("Assigned to you");
    expect(assignmentWords({ their_number: "", assigned_user_id: "u2" }, "u1", names)).toBe("Assigned to Dana Lee");
    expect(assignmentWords({ their_number: "", assigned_user_id: null }, "u1", names)).toBe("Unassigned");
    expect(assignmentWords({ their_number: "", assigned_user_id: "u2", unassigned: true }, "u1", names)).toBe("Free to claim (a reply waited too long on Dana Lee)");
  });
});
