import { describe, expect, it } from "vitest";
import { countRows, previewRows, samplesByColumn } from "./preview";

const CSV = 'First Name,Last Name,Phone\nAvery,Johnson,(512) 555-0101\n\n"Rivera, Jr",Blake,512.555.0102\nCasey,Nguyen,\nDana,Lee,x\n';

describe("the file's first rows, read in the browser", () => {
  it("are the header and the first data rows, quotes and blank lines handled", async () => {
    expect(await previewRows(CSV, 2)).toEqual({
      header: ["First Name", "Last Name", "Phone"],
      rows: [["Avery", "Johnson", "(512) 555-0101"], ["Rivera, Jr", "Blake", "512.555.0102"]],
    });
  });

  it("count the data rows for the progress bar", async () => {
    expect(await countRows(CSV)).toBe(4);
    expect(await countRows("Name\n")).toBe(0);
  });

  it("line up under the API's columns by name", () => {
    const preview = { header: ["B", "A"], rows: [["b1", "a1"], ["b2"]] };
    expect(samplesByColumn(["A", "B"], preview)).toEqual({ A: ["a1", ""], B: ["b1", "b2"] });
    expect(samplesByColumn(["A"], undefined)).toEqual({ A: [] });
  });
});
