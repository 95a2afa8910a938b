import { describe, expect, it } from "vitest";
import { isBeingBought, selectionWords, stateWords, troubleWords } from "./words";

describe("a texting number in words", () => {
  it("says its state", () => {
    expect(stateWords("purchasing")).toBe("Being bought");
    expect(stateWords("active")).toBe("Active");
    expect(stateWords("failed")).toBe("Purchase failed");
    expect(stateWords("some_new_state")).toBe("some new state");
  });

  it("is followed while it is being bought, a failed purchase included (it is retried)", () => {
    expect(isBeingBought({ state: "awaiting_user" })).toBe(true);
    expect(isBeingBought({ state: "failed" })).toBe(true);
    expect(isBeingBought({ state: "active" })).toBe(false);
  });

  it("says how it was chosen", () => {
    expect(selectionWords("area_code")).toBe("in the holder's area code");
    expect(selectionWords("same_state", "your")).toBe("elsewhere in your state");
    expect(selectionWords(null)).toBeNull();
  });

  it("says the carrier's error as a sentence, with the attempts", () => {
    expect(troubleWords({ state: "failed", last_error: "no number is available near 512", attempts: 3 })).toBe(
      "No number is available near 512 (after 3 attempts).",
    );
    expect(troubleWords({ state: "purchasing", last_error: "carrier timed out", attempts: 1 })).toBe("Last attempt: Carrier timed out.");
    expect(troubleWords({ state: "active", last_error: null, attempts: 1 })).toBeNull();
  });
});
