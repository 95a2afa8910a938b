// Imports, numbers and registration in a real browser: a CSV with a bad row dropped, mapped,
// followed to the end and its error report downloaded; the user's number formatted; a
// registration pre-check problem shown at its field; axe on each screen, also at 375 px.
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

// Each test types a whole form or follows a whole import, with axe on each screen, on two shared cores.
test.describe.configure({ timeout: 120_000 });

const CSV = [
  "First Name,Last Name,Mobile,Email,Precinct",
  "Avery,Johnson,(512) 555-0101,avery@example.org,12",
  "Alan,Turing,12345,,7", // line 3: a phone that cannot be real
  "Blake,Rivera,512.555.0102,blake@example.org,3",
  "",
].join("\n");

/** Drops a file on the page's drop zone, as a person dragging it from their desktop would. */
async function dropFile(page: Page, name: string, content: string) {
  const dataTransfer = await page.evaluateHandle(([fileName, text]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], fileName, { type: "text/csv" }));
    return transfer;
  }, [name, content]);
  const zone = page.getByTestId("drop-zone");
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

test("a dropped CSV is mapped beside its first rows, imported with live progress, and its bad row is in the error report", async ({ page, api }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole("heading", { name: "Imports", exact: true })).toBeVisible();
  await expect(page.getByText("No imports yet.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await dropFile(page, "volunteers.csv", CSV);
  await expect(page).toHaveURL(/\/imports\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "volunteers.csv" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Map the columns" })).toBeVisible();

  // The file's first rows beside each column, the guessed fields ready to correct.
  await expect(page.getByRole("row", { name: /Mobile/ })).toContainText("(512) 555-0101");
  await expect(page.getByRole("row", { name: /Mobile/ })).toContainText("12345");
  await expect(page.getByLabel("First Name")).toHaveValue("first_name");
  await expect(page.getByLabel("Mobile")).toHaveValue("phone:cell");
  await expect(page.getByLabel("Precinct")).toHaveValue("custom:Precinct");
  await expectNoSeriousA11yViolations(page);

  // The person's own mapping: Precinct is not wanted, and everyone gets a tag.
  await page.getByLabel("Precinct").selectOption({ label: "Don't import" });
  await page.getByLabel("Tags added to every contact").fill("Spring Volunteers");
  await page.getByRole("button", { name: "Start import" }).click();

  const progress = page.getByRole("progressbar", { name: "Import progress" });
  await expect(progress).toBeVisible();
  await expect(page.getByRole("heading", { name: "Finished" })).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveAttribute("value", "100");
  await expect(page.getByTestId("import-read")).toHaveText("3");
  await expect(page.getByTestId("import-created")).toHaveText("2");
  await expect(page.getByTestId("import-merged")).toHaveText("0");
  await expect(page.getByTestId("import-failed")).toHaveText("1");
  await expect(page.getByRole("status").filter({ hasText: "Finished:" })).toHaveText(
    "Finished: 2 created, 0 merged into existing contacts, 1 row failed.");
  await expectNoSeriousA11yViolations(page);

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the error report (1 failed row)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("volunteers-errors.csv");
  const report = (await readFile(await download.path())).toString("utf8").trim().split(/\r?\n/);
  expect(report[0]).toBe("line,reason,values");
  expect(report).toHaveLength(2);
  expect(report[1]).toMatch(/^3,/);
  expect(report[1]).toContain("column 'Mobile'");
  expect(report[1]).toContain("Alan,Turing,12345");

  // The mapping was the one chosen: tagged, and no Precinct field.
  const imported = await api.get("/api/contacts?q=Avery");
  expect(imported.items).toHaveLength(1);
  expect(imported.items[0].tags).toContain("Spring Volunteers");
  expect(imported.items[0].custom_fields ?? {}).not.toHaveProperty("Precinct");

  await page.getByRole("link", { name: "Import another file" }).click();
  const past = page.getByRole("region", { name: "Past imports" });
  await expect(past.getByRole("row", { name: /volunteers\.csv/ })).toContainText("Finished");
  await expect(past.getByRole("row", { name: /volunteers\.csv/ })).toContainText("1");
});

test("a file chosen with the button that is not a CSV is refused in words", async ({ page, account: _signedIn }) => {
  await page.goto("/imports");
  await page.getByLabel("CSV file to import").setInputFiles({ name: "people.xlsx", mimeType: "application/vnd.ms-excel", buffer: Buffer.from("x") });
  await expect(page.getByRole("alert")).toHaveText("“people.xlsx” is not a CSV file: export the sheet as CSV (comma-separated) and try again.");
});

test("the numbers screen gets the user's own number on request and shows it formatted once bought", async ({ page, api, account }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Numbers" }).click();
  await expect(page.getByRole("heading", { name: "Numbers", exact: true })).toBeVisible();
  await expect(page.getByText("No number yet: you get your own texting number with your first text.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Asked for before the first text; the screen follows the purchase until the number is there.
  await page.getByRole("button", { name: "Get my number now" }).click();
  const number = await api.textingNumber();
  const national = number.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "($1) $2-$3");
  const mine = page.getByRole("region", { name: "My number" });
  await expect(mine.getByText(national, { exact: true })).toHaveAttribute("title", number, { timeout: 15_000 });
  await expect(mine).toContainText("Active");
  await expect(mine).toContainText("in your area code");

  // Owners see every number of the account with its holder, and the deactivation setting.
  const all = page.getByRole("region", { name: "Numbers of the account" });
  await expect(all.getByRole("row", { name: new RegExp(account.name) })).toContainText(national);
  await expect(all.getByRole("row", { name: new RegExp(account.name) })).toContainText("Active");
  await expect(page.getByRole("radio", { name: /Give the number back/ })).toBeChecked();
  await page.getByRole("radio", { name: /Keep it for the next user/ }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  expect((await api.get("/api/numbers/settings")).on_deactivation).toBe("reassign");
  await expectNoSeriousA11yViolations(page);
});

test("the registration form shows the pre-check's problem at its field and on its step", async ({ page, account: _signedIn }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Registration" }).click();
  await expect(page.getByRole("heading", { name: "A2P 10DLC registration" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "1. Brand" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("Legal business name").fill("Harbour Lantern Campaign");
  await page.getByLabel("EIN (tax id)").fill("12-34");
  await page.getByLabel("Website").fill("https://harbour-lantern.example.org");
  await page.getByLabel("Contact email").fill("hello@harbour-lantern.example.org");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page).toHaveURL(/step=campaign/);
  await expect(page.getByRole("heading", { name: "2. Campaign" })).toBeVisible();
  await page.getByLabel("What the campaign sends").fill("Updates for volunteers about canvassing shifts and events in Austin.");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: "3. Sample messages" })).toBeVisible();
  await page.getByLabel("Sample message 1").fill("Hi Avery, the Saturday canvass starts at 10am. Reply STOP to opt out.");
  await page.getByLabel("Sample message 2").fill("Thanks for volunteering! Reply STOP to opt out.");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("heading", { name: "4. Review" })).toBeVisible();
  await expect(page.getByText("Harbour Lantern Campaign")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Submit for review" }).click();
  // Refused: the form opens the first step with a problem, each problem at its field.
  await expect(page).toHaveURL(/step=brand/);
  const ein = page.getByLabel("EIN (tax id)");
  await expect(ein).toHaveAttribute("aria-invalid", "true");
  await expect(ein).toHaveAccessibleDescription(/a standard brand needs its 9-digit EIN/);
  await expect(ein).toBeFocused();
  await expect(page.getByRole("button", { name: /^Campaign \(\d+ problems?\)$/ })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("The registration was not submitted");
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: /^Campaign/ }).click();
  await expect(page.getByLabel("How people opt in")).toHaveAccessibleDescription(/describe how people opt in/);
  await expect(page.getByLabel("Privacy policy URL")).toHaveAttribute("aria-invalid", "true");
});

test("a registration that passes the pre-check is submitted and shows the state of each step", async ({ page, account: _signedIn }) => {
  const bundle = (digit: string) => `BU${digit.repeat(32)}`;
  await page.goto("/registration");
  await page.getByLabel("Legal business name").fill("Harbour Lantern Campaign");
  await page.getByLabel("EIN (tax id)").fill("12-3456789");
  await page.getByLabel("Website").fill("https://harbour-lantern.example.org");
  await page.getByLabel("Contact email").fill("hello@harbour-lantern.example.org");
  await page.getByLabel("Customer profile bundle").fill(bundle("a"));
  await page.getByLabel("A2P profile bundle").fill(bundle("b"));
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("Use case").selectOption({ label: "Mixed" });
  await page.getByLabel("What the campaign sends").fill("Updates for volunteers about canvassing shifts and events in Austin.");
  await page.getByLabel("How people opt in").fill("Volunteers opt in by ticking a box on the volunteer sign-up form at our website.");
  await page.getByLabel("Privacy policy URL").fill("https://harbour-lantern.example.org/privacy");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByLabel("Sample message 1").fill("Hi Avery, the Saturday canvass starts at 10am at the library. Reply STOP to opt out.");
  await page.getByLabel("Sample message 2").fill("Thanks for volunteering with Harbour Lantern! Reply STOP to opt out.");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: "Submit for review" }).click();

  const steps = page.getByRole("list", { name: "Registration steps" });
  await expect(steps).toBeVisible();
  await expect(steps.getByRole("listitem").first()).toHaveText(/Checked, done\s*Submitted/);
  await expect(steps.getByRole("listitem").nth(1)).toHaveText(/^Brand, (in progress|done)/);
  await expect(page.getByText(/^State: /)).toHaveText(/State: (Submitted|In review with the carriers|Approved)/);
  // Submitted, the details are shown, no longer edited.
  await expect(page.getByRole("heading", { name: "Submitted details" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit for review" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});

test("imports, numbers and registration fit a 375 px phone screen", async ({ page, account: _signedIn }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  for (const [path, heading] of [["/imports", "Imports"], ["/numbers", "Numbers"], ["/registration", "A2P 10DLC registration"]]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
    await expectNoSeriousA11yViolations(page);
  }
  // The mapping step too: each column becomes a card with its field and first values.
  await page.goto("/imports");
  await page.getByLabel("CSV file to import").setInputFiles({ name: "volunteers.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await expect(page.getByRole("heading", { name: "Map the columns" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the mapping step scrolls sideways at 375 px").toBeLessThanOrEqual(0);
  const select = await page.getByLabel("Mobile").boundingBox();
  expect(select && select.x >= 0 && select.x + select.width <= 375, "the column's field picker fits the screen").toBe(true);
  await expectNoSeriousA11yViolations(page);
});
