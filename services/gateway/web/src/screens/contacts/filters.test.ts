import { describe, expect, it } from "vitest";
import { activeChips, filtersFrom, paramsOf, selectionFilter } from "./filters";

describe("the grid's filters in the URL", () => {
  it("read back every filter the API has, tag lists and days included", () => {
    const params = new URLSearchParams("q=ave&tags_none=Donor&tags_none=Do+Not+Contact&tags_any=Volunteer&city=Austin&zip=78701&dnc=false&created_from=2026-11-01&sort=-created");
    const filters = filtersFrom(params);

    expect(filters).toEqual({
      sort: "-created", q: "ave", city: "Austin", zip: "78701", dnc: false, created_from: "2026-11-01",
      tags_none: ["Donor", "Do Not Contact"], tags_any: ["Volunteer"],
    });
    expect(filtersFrom(paramsOf(filters))).toEqual(filters);
  });

  it("ignore what the API would refuse: an unknown sort, a malformed day, a flag that is not true or false", () => {
    expect(filtersFrom(new URLSearchParams("sort=phone&created_to=tomorrow&dnc=yes"))).toEqual({ sort: "last_name" });
  });

  it("become chips in words, the owner by name", () => {
    const chips = activeChips({ sort: "last_name", owner: "u1", tags_all: ["A", "B"], last_contacted_to: "2026-12-01" }, () => "Dana Reyes");
    expect(chips.map((chip) => chip.label)).toEqual(["Owner: Dana Reyes", "All of the tags: A, B", "Last contacted until 2026-12-01"]);
  });

  it("send days as the instants that start and end them in the user's own time zone", () => {
    const filter = selectionFilter({ sort: "last_name", created_from: "2026-11-01", created_to: "2026-11-30", tags_none: ["Donor"] });
    expect(filter.created_from).toBe(new Date("2026-11-01T00:00:00").toISOString());
    expect(filter.created_to).toBe(new Date("2026-11-30T23:59:59.999").toISOString());
    expect(filter.tags_none).toEqual(["Donor"]);
    expect(filter).not.toHaveProperty("sort");
  });
});
