import { describe, expect, it } from "vitest";
import { checkCell, formatAsTyped } from "./cell";

describe("a user's primary cell, checked before it is sent", () => {
  it("reads a US number in any format as E.164", () => {
    expect(checkCell("(512) 474-2000")).toEqual({ e164: "+15124742000", problem: null });
    expect(checkCell("512.474.2000")).toEqual({ e164: "+15124742000", problem: null });
    expect(checkCell("+1 512 474 2000")).toEqual({ e164: "+15124742000", problem: null });
  });

  it("allows no cell at all", () => {
    expect(checkCell("  ")).toEqual({ e164: null, problem: null });
  });

  it("refuses what is not a phone number, in words", () => {
    expect(checkCell("555-12")).toEqual({ e164: null, problem: "This is not a valid phone number" });
    expect(checkCell("(123) 456-7890").problem).toBe("This is not a valid phone number");
    expect(checkCell("call me").problem).toBe("This is not a valid phone number");
  });

  it("formats nationally as it is typed", () => {
    expect(formatAsTyped("5124742000")).toBe("(512) 474-2000");
    expect(formatAsTyped("(512) ")).toBe("(512) ");
  });
});
