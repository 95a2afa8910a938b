import { describe, expect, it } from "vitest";
import { importProgress, isUnderway, outcome, statusWords, type ImportJob } from "./progress";

const job = (fields: Partial<ImportJob>): ImportJob => ({
  id: "imp1", filename: "people.csv", size: 100, status: "running", columns: ["Name"], rows_read: 0, created: 0, merged: 0,
  failed: 0, created_at: "2026-01-01T00:00:00Z", ...fields,
});

describe("an import's progress", () => {
  it("is the share of the file's rows read when the browser counted them", () => {
    expect(importProgress(job({ rows_read: 50, created: 40, merged: 5, failed: 2 }), 200)).toEqual({
      landed: 47, percent: 25, summary: "50 of 200 rows read",
    });
  });

  it("never says 100% before the import has finished, and never more than 100%", () => {
    expect(importProgress(job({ rows_read: 200, created: 200 }), 200).percent).toBe(99);
    expect(importProgress(job({ rows_read: 250 }), 200).percent).toBe(99);
  });

  it("is indeterminate without a row count, and counts what landed as read", () => {
    expect(importProgress(job({ rows_read: 3, created: 4 }), undefined)).toEqual({ landed: 4, percent: null, summary: "4 rows read" });
    expect(importProgress(job({ rows_read: 1 }), null).summary).toBe("1 row read");
  });

  it("is complete once finished, whatever the count said", () => {
    expect(importProgress(job({ status: "completed", rows_read: 3, created: 2, failed: 1 }), 10)).toEqual({
      landed: 3, percent: 100, summary: "3 rows read",
    });
  });

  it("starts at nothing for a queued job", () => {
    expect(importProgress(job({ status: "queued" }), 5)).toEqual({ landed: 0, percent: 0, summary: "0 of 5 rows read" });
  });
});

describe("an import in words", () => {
  it("says its state and outcome", () => {
    expect(statusWords("uploaded")).toBe("Waiting for its columns to be mapped");
    expect(statusWords("running")).toBe("Importing");
    expect(outcome(job({ status: "completed", created: 1200, merged: 3, failed: 1 }))).toBe(
      `${(1200).toLocaleString()} created, 3 merged into existing contacts, 1 row failed`,
    );
    expect(outcome(job({ status: "completed", created: 2 }))).toBe("2 created, 0 merged into existing contacts, no row failed");
  });

  it("is followed only while it moves", () => {
    expect(isUnderway(job({ status: "queued" }))).toBe(true);
    expect(isUnderway(job({ status: "running" }))).toBe(true);
    expect(isUnderway(job({ status: "uploaded" }))).toBe(false);
    expect(isUnderway(job({ status: "completed" }))).toBe(false);
  });
});
