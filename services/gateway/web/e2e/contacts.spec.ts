// The contacts grid in a real browser: filters by tag and by phone digits, selection, accessibility.
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

test("the sign-in screen has no serious accessibility problems", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the grid narrows to a tag and to phone digits typed in any format, and selects what it shows or all that match", async ({ page, api }) => {
  await api.createContact({ first_name: "Avery", last_name: "Johnson", tags: ["Volunteers"], phones: [{ number: "(512) 555-0101", type: "cell", primary: true }] });
  await api.createContact({ first_name: "Blake", last_name: "Rivera", tags: ["Volunteers"], phones: [{ number: "(512) 555-0102", type: "home" }] });
  await api.createContact({ first_name: "Casey", last_name: "Nguyen", tags: ["Donors"], phones: [{ number: "(737) 555-0199", type: "cell" }] });

  await page.goto("/contacts");
  const grid = page.getByRole("table");
  await expect(grid.getByRole("row")).toHaveCount(4);
  await expect(page.getByRole("status").filter({ hasText: "matching" })).toHaveText("3 matching");
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("Filter by tag").selectOption("Volunteers");
  await expect(page).toHaveURL(/tag=Volunteers/);
  await expect(page.getByRole("listitem").filter({ hasText: "Tag: Volunteers" })).toBeVisible();
  await expect(grid.getByRole("row")).toHaveCount(3);
  await expect(grid).toContainText("Avery Johnson");
  await expect(grid).toContainText("Blake Rivera");
  await expect(grid).not.toContainText("Casey Nguyen");
  await expect(page.getByRole("status").filter({ hasText: "matching" })).toHaveText("2 matching");

  const selection = page.getByRole("region", { name: "Selection" });
  await page.getByRole("checkbox", { name: "Select Avery Johnson" }).check();
  await expect(selection.getByRole("status")).toHaveText("1 person selected");
  await selection.getByRole("button", { name: "Select all 2 matching" }).click();
  await expect(selection.getByRole("status")).toHaveText("All 2 people matching selected");
  await selection.getByRole("button", { name: "Clear selection" }).click();
  await page.getByRole("checkbox", { name: "Select this page" }).check();
  await expect(page.getByRole("checkbox", { name: "Select Avery Johnson" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Select Blake Rivera" })).toBeChecked();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Remove filter Tag: Volunteers" }).click();
  await page.getByRole("searchbox", { name: /Search contacts/ }).fill("512.555.0101");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(grid.getByRole("row")).toHaveCount(2);
  await expect(grid).toContainText("Avery Johnson");
  // Numbers read nationally, with E.164 on hover.
  await expect(grid.getByText("(512) 555-0101")).toHaveAttribute("title", "+15125550101");
  await expect(page.getByRole("status").filter({ hasText: "matching" })).toHaveText("1 matching");
  await expectNoSeriousA11yViolations(page);
});

test("every filter is in the All filters panel, a view of them is saved and reopened, and columns can be hidden", async ({ page, api }) => {
  await api.createContact({ first_name: "Avery", last_name: "Johnson", tags: ["Volunteers"], phones: [{ number: "(512) 555-0101", type: "cell" }] });
  await api.createContact({ first_name: "Blake", last_name: "Rivera", tags: ["Volunteers", "Donors"], phones: [{ number: "(512) 555-0102", type: "cell" }] });
  await api.createContact({ first_name: "Casey", last_name: "Nguyen", tags: ["Donors"], phones: [{ number: "(737) 555-0199", type: "cell" }] });

  await page.goto("/contacts");
  const grid = page.getByRole("table");
  await expect(grid.getByRole("row")).toHaveCount(4);

  await page.getByRole("button", { name: "All filters" }).click();
  const panel = page.getByRole("dialog", { name: "All filters" });
  await panel.getByLabel("Any of the tags").selectOption(["Volunteers"]);
  await panel.getByLabel("None of the tags").selectOption(["Donors"]);
  await expectNoSeriousA11yViolations(page);
  await panel.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/tags_any=Volunteers/);
  await expect(page).toHaveURL(/tags_none=Donors/);
  await expect(grid.getByRole("row")).toHaveCount(2);
  await expect(grid).toContainText("Avery Johnson");
  await expect(page.getByRole("listitem").filter({ hasText: "None of the tags: Donors" })).toBeVisible();

  await page.getByRole("button", { name: "Save view" }).click();
  await page.getByRole("textbox", { name: "Name of the view" }).fill("Volunteers who do not give");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("button", { name: "Remove filter None of the tags: Donors" }).click();
  await expect(grid.getByRole("row")).toHaveCount(3);
  await page.getByRole("combobox", { name: "Saved views" }).selectOption("Volunteers who do not give");
  await expect(grid.getByRole("row")).toHaveCount(2);
  await expect(page).toHaveURL(/tags_none=Donors/);

  await page.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Email" }).click();
  await page.keyboard.press("Escape");
  await expect(grid.getByRole("columnheader", { name: "Email" })).toHaveCount(0);
  await page.reload();
  await expect(grid.getByRole("columnheader", { name: "Phones" })).toBeVisible();
  await expect(grid.getByRole("columnheader", { name: "Email" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});
