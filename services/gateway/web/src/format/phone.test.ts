import { describe, expect, it } from "vitest";
import { formatPhone, phoneStates, phoneTypeWord } from "./phone";

describe("formatPhone", () => {
  it("shows a number of the account's country in national format", () => {
    expect(formatPhone("+15125550101")).toBe("(512) 555-0101");
  });

  it("shows a number of another country in international format", () => {
    expect(formatPhone("+447911123456")).toBe("+44 7911 123456");
  });

  it("tells a Canadian number from a US one, and uses the given country as home", () => {
    expect(formatPhone("+16135550123")).toBe("+1 613 555 0123");
    expect(formatPhone("+16135550123", "CA")).toBe("(613) 555-0123");
  });

  it("leaves what it cannot parse as it was", () => {
    expect(formatPhone("not a number")).toBe("not a number");
  });
});

describe("phoneTypeWord", () => {
  it("names each type, and anything else as a phone", () => {
    expect(["cell", "home", "work", "landline", "unknown", "pager"].map(phoneTypeWord)).toEqual(["Cell", "Home", "Work", "Landline", "Phone", "Phone"]);
  });
});

describe("phoneStates", () => {
  const clear = { opted_out: false, wrong_number: false, status: "active" };

  it("says nothing of a phone that can be texted", () => {
    expect(phoneStates(clear)).toEqual([]);
  });

  it("says in words everything that stands in the way", () => {
    expect(phoneStates({ opted_out: true, wrong_number: true, status: "landline" })).toEqual(["Wrong number", "Opted out", "Landline"]);
    expect(phoneStates({ ...clear, status: "unreachable" })).toEqual(["Unreachable"]);
  });
});
