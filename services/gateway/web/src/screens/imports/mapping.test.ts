import { describe, expect, it } from "vitest";
import { customTarget, guessTarget, importOptions, initialMapping, mappingProblems, parseTags, problemPlace, targetLabel, targetsFor } from "./mapping";

describe("guessing a column's contact field from its header", () => {
  it("reads common headers whatever their case, spaces and punctuation", () => {
    expect(guessTarget("First Name")).toBe("first_name");
    expect(guessTarget("last_name")).toBe("last_name");
    expect(guessTarget("E-mail")).toBe("email");
    expect(guessTarget("Mobile")).toBe("phone:cell");
    expect(guessTarget("Home Phone")).toBe("phone:home");
    expect(guessTarget("Postal Code")).toBe("zip");
    expect(guessTarget("Name")).toBe("full_name");
  });

  it("keeps an unknown column as a custom field named after it", () => {
    expect(guessTarget("Precinct")).toBe("custom:Precinct");
    expect(guessTarget("Ward.No")).toBe("custom:Ward No");
    expect(guessTarget("$secret")).toBe("custom:secret");
    expect(guessTarget("   ")).toBe("ignore");
  });

  it("bounds a custom field's name the way the API does", () => {
    expect(customTarget("x".repeat(80))).toBe(`custom:${"x".repeat(64)}`);
  });

  it("gives a one-per-contact field to the first column only", () => {
    expect(initialMapping(["First", "First Name", "Email", "Email Address"])).toEqual({
      First: "first_name", "First Name": "custom:First Name", Email: "email", "Email Address": "email",
    });
  });
});

describe("the mapping's problems before the import starts", () => {
  it("asks for a name column", () => {
    expect(mappingProblems({ Email: "email", Phone: "phone" }, [])).toEqual([
      { field: "columns", problem: "map at least one column to First name, Last name or Full name" },
    ]);
  });

  it("names the column that would overwrite another", () => {
    expect(mappingProblems({ First: "first_name", Given: "first_name", Phone: "phone", Cell: "phone" }, [])).toEqual([
      { field: "columns.Given", problem: "First name is already filled from “First”" },
    ]);
  });

  it("passes a mapping with a name, several phones and ignored columns", () => {
    expect(mappingProblems({ Name: "full_name", Cell: "phone:cell", Home: "phone:home", Junk: "ignore" }, ["A"])).toEqual([]);
  });

  it("bounds the tags for every row", () => {
    const tags = Array.from({ length: 21 }, (_, index) => `t${index}`);
    expect(mappingProblems({ Name: "full_name" }, tags)).toEqual([{ field: "tags", problem: "at most 20 tags" }]);
  });
});

describe("tags typed for every row", () => {
  it("splits on commas, trims and drops repeats", () => {
    expect(parseTags(" Volunteers,  Spring   2026 ,volunteers,, ")).toEqual(["Volunteers", "Spring 2026"]);
    expect(parseTags("")).toEqual([]);
  });
});

describe("what the start request carries", () => {
  it("is the mapping, the tags and the default phone type", () => {
    expect(importOptions({ Name: "full_name" }, ["A"], "cell")).toEqual({ columns: { Name: "full_name" }, tags: ["A"], default_phone_type: "cell" });
  });

  it("places the API's problems at their field", () => {
    expect(problemPlace("columns.Email")).toBe("columns.Email");
    expect(problemPlace("body.tags.3")).toBe("tags");
    expect(problemPlace("columns")).toBe("columns");
    expect(problemPlace("file")).toBe("columns");
  });

  it("offers each column its own custom field, and says targets in words", () => {
    expect(targetsFor("Precinct").map((option) => option.value)).toContain("custom:Precinct");
    expect(targetsFor("Precinct").at(-1)?.value).toBe("ignore");
    expect(targetLabel("custom:Precinct")).toBe("Custom field “Precinct”");
    expect(targetLabel("phone:cell")).toBe("Cell phone");
  });
});
