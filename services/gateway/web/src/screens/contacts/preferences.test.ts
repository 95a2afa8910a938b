import { beforeEach, describe, expect, it } from "vitest";
import { deleteView, hiddenColumns, saveHiddenColumns, saveView, savedViews } from "./preferences";

describe("what a user keeps for the grid", () => {
  beforeEach(() => localStorage.clear());

  it("saves views by name, newest first, replacing one of the same name", () => {
    saveView("ana", { name: "Volunteers", query: "tag=Volunteer" });
    saveView("ana", { name: "Donors", query: "tag=Donor" });
    saveView("ana", { name: "Volunteers", query: "tag=Volunteer&city=Austin" });

    expect(savedViews("ana")).toEqual([
      { name: "Volunteers", query: "tag=Volunteer&city=Austin" },
      { name: "Donors", query: "tag=Donor" },
    ]);
    expect(deleteView("ana", "Donors")).toEqual([{ name: "Volunteers", query: "tag=Volunteer&city=Austin" }]);
  });

  it("keeps each user's views and columns apart", () => {
    saveView("ana", { name: "Mine", query: "owner=ana" });
    saveHiddenColumns("ana", ["emails"]);

    expect(savedViews("ben")).toEqual([]);
    expect(hiddenColumns("ben")).toEqual([]);
    expect(hiddenColumns("ana")).toEqual(["emails"]);
  });

  it("survives a damaged entry", () => {
    localStorage.setItem("crm.contacts.views.ana", "{not json");
    expect(savedViews("ana")).toEqual([]);
  });
});
