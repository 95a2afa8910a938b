import { describe, expect, it } from "vitest";
import { ApiProblem } from "../../api/problems";
import { problemsByField } from "./fieldProblems";

describe("an API refusal shown where it belongs", () => {
  it("puts each 422 problem at its field", () => {
    const refusal = new ApiProblem(422, {
      detail: "invalid request",
      errors: [{ field: "body.primary_cell", problem: "not a valid phone number" }, { field: "body.password", problem: "too short" }],
    });
    expect(problemsByField(refusal)).toEqual({ fields: { primary_cell: "not a valid phone number", password: "too short" }, other: null });
  });

  it("says a refusal that names no field as a sentence", () => {
    const refusal = new ApiProblem(403, { detail: "only an owner can add another owner" });
    expect(problemsByField(refusal)).toEqual({ fields: {}, other: "only an owner can add another owner" });
    expect(problemsByField(null)).toEqual({ fields: {}, other: null });
  });
});
