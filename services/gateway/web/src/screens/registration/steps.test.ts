import { describe, expect, it } from "vitest";
import { draftOf, firstStepWithProblems, isEditable, placeOf, problemCount, problemsAt, stages, stepIndex, stepOfProblem, toWrite } from "./steps";

const precheck = [
  { field: "ein", problem: "a standard brand needs its 9-digit EIN (tax id), e.g. 12-3456789" },
  { field: "message_flow", problem: "describe how people opt in (at least 40 characters)" },
  { field: "sample_messages.1", problem: "each sample must be 20 to 1024 characters long" },
  { field: "sample_messages", problem: "at least one sample must tell people how to opt out" },
];

describe("the pre-check's problems in the guided form", () => {
  it("belong to the step of their field", () => {
    expect(stepOfProblem("ein")).toBe("brand");
    expect(stepOfProblem("body.company_name")).toBe("brand");
    expect(stepOfProblem("privacy_policy_url")).toBe("campaign");
    expect(stepOfProblem("sample_messages.3")).toBe("samples");
    expect(stepOfProblem("something_else")).toBe("review");
  });

  it("are counted per step, and the first step with one opens", () => {
    expect(problemCount(precheck, "brand")).toBe(1);
    expect(problemCount(precheck, "campaign")).toBe(1);
    expect(problemCount(precheck, "samples")).toBe(2);
    expect(problemCount(precheck, "review")).toBe(0);
    expect(firstStepWithProblems(precheck)).toBe("brand");
    expect(firstStepWithProblems(precheck.slice(2))).toBe("samples");
    expect(firstStepWithProblems([])).toBeNull();
  });

  it("show at their own field, a sample's at that sample", () => {
    expect(problemsAt(precheck, "ein")).toEqual([precheck[0].problem]);
    expect(problemsAt(precheck, "sample_messages.1")).toEqual([precheck[2].problem]);
    expect(problemsAt(precheck, "sample_messages")).toEqual([precheck[3].problem]);
    expect(placeOf("body.ein")).toBe("ein");
  });
});

describe("the draft", () => {
  it("starts with two empty samples and keeps what the API has", () => {
    expect(draftOf(null).sample_messages).toEqual(["", ""]);
    const draft = draftOf({ company_name: "Acme", sample_messages: ["one"], brand_type: "SOLE_PROPRIETOR" });
    expect(draft.company_name).toBe("Acme");
    expect(draft.brand_type).toBe("SOLE_PROPRIETOR");
    expect(draft.sample_messages).toEqual(["one", ""]);
  });

  it("is sent trimmed, without blank samples", () => {
    const sent = toWrite({ ...draftOf(null), company_name: "  Acme  ", sample_messages: [" Hi, reply STOP to opt out ", "  "] });
    expect(sent.company_name).toBe("Acme");
    expect(sent.sample_messages).toEqual(["Hi, reply STOP to opt out"]);
  });

  it("is editable until it is submitted, and again after a refusal", () => {
    expect(isEditable(undefined)).toBe(true);
    expect(isEditable("draft")).toBe(true);
    expect(isEditable("failed")).toBe(true);
    expect(isEditable("in_review")).toBe(false);
    expect(isEditable("approved")).toBe(false);
  });

  it("opens the brand step for an unknown step in the URL", () => {
    expect(stepIndex("samples")).toBe(2);
    expect(stepIndex("nonsense")).toBe(0);
  });
});

describe("the state of each step after submitting", () => {
  const sids = { brand_sid: null, messaging_service_sid: null, campaign_sid: null, reason: null };

  it("is all to come for a draft", () => {
    expect(stages({ ...sids, state: "draft" }).map((stage) => stage.state)).toEqual(["current", "waiting", "waiting", "waiting", "waiting"]);
  });

  it("follows the carrier: brand done, messaging service being set up", () => {
    const shown = stages({ ...sids, state: "in_review", brand_sid: "BN1" });
    expect(shown.map((stage) => [stage.name, stage.state])).toEqual([
      ["Checked", "done"], ["Brand", "done"], ["Messaging service", "current"], ["Campaign", "waiting"], ["Approved", "waiting"],
    ]);
  });

  it("says where it failed and why", () => {
    const shown = stages({ ...sids, state: "failed", reason: "the EIN does not match the business name" });
    expect(shown[1]).toEqual({ name: "Brand", state: "failed", words: "Failed: the EIN does not match the business name" });
    expect(shown[2].state).toBe("waiting");
  });

  it("waits for the carriers once the campaign is registered, then is approved", () => {
    const registered = { brand_sid: "BN1", messaging_service_sid: "MG1", campaign_sid: "CM1", reason: null };
    expect(stages({ ...registered, state: "in_review" }).at(-1)).toEqual({ name: "Approved", state: "current", words: "Carriers are reviewing the campaign" });
    expect(stages({ ...registered, state: "approved" }).every((stage) => stage.state === "done")).toBe(true);
    expect(stages({ ...registered, state: "failed", reason: "sample mismatch" }).at(-1)?.state).toBe("failed");
  });
});
