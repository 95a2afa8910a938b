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
