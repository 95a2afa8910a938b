// Users and settings in a real browser: adding a user with a checked primary cell, a 422 shown at
// its field, the role rules' refusals in words, deactivation, and the account's texting settings.
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

test("an owner adds a user, sees refusals in words, deactivates, and sets the texting replies", async ({ page, account }) => {
  await page.getByRole("link", { name: "Users and settings" }).click();
  await expect(page).toHaveURL(/\/users$/);
  const table = page.getByRole("table", { name: "The account's users" });
  await expect(table.getByRole("row").filter({ hasText: `${account.name} (you)` })).toContainText("Active");
  await expectNoSeriousA11yViolations(page);

  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Name").fill("Dana Lee");
  await form.getByLabel("Email").fill(`dana-${account.email}`);
  await form.getByLabel("Password").fill("password1234");
  await form.getByLabel("Primary cell").fill("555-12");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByText("This is not a valid phone number")).toBeVisible();

  await form.getByLabel("Primary cell").fill("5124742001");
  await expect(form.getByLabel("Primary cell")).toHaveValue("(512) 474-2001");
  await form.getByRole("button", { name: "Add user" }).click();
  // The API's 422 on the password, at the password.
  await expect(form.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Password")).toHaveAccessibleDescription(/password/i);

  await form.getByLabel("Password").fill("Quartz-Meadow-7-Lantern");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Dana Lee was added." })).toBeVisible();
  const dana = table.getByRole("row").filter({ hasText: "Dana Lee" });
  await expect(dana).toContainText("Active");
  await expect(dana.getByText("(512) 474-2001")).toHaveAttribute("title", "+15124742001");
  await expect(dana.getByLabel("Role of Dana Lee")).toHaveValue("texter");

  await dana.getByLabel("Role of Dana Lee").selectOption("admin");
  await expect(dana.getByLabel("Role of Dana Lee")).toHaveValue("admin");
  await dana.getByRole("button", { name: "Deactivate Dana Lee" }).click();
  await expect(dana).toContainText("Deactivated");
  await expect(dana.getByRole("button", { name: "Reactivate Dana Lee" })).toBeVisible();

  // What the role rules forbid, refused by the API and said in words.
  await table.getByLabel(`Role of ${account.name}`).selectOption("admin");
  await expect(page.getByRole("alert")).toHaveText(`Could not change ${account.name}'s role: nobody changes their own role: another owner must`);
  await expect(table.getByLabel(`Role of ${account.name}`)).toHaveValue("owner");
  await table.getByRole("button", { name: `Deactivate ${account.name}` }).click();
  await expect(page.getByRole("alert")).toHaveText(`Could not deactivate ${account.name}: an account keeps at least one active owner: make another user owner first`);

  const settings = page.getByRole("form", { name: "Texting settings" });
  await settings.getByLabel("Reply to STOP").fill("You will get no more texts from Campaign HQ.");
  await settings.getByRole("button", { name: "Save texting settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByRole("form", { name: "Texting settings" }).getByLabel("Reply to STOP")).toHaveValue("You will get no more texts from Campaign HQ.");
  await expectNoSeriousA11yViolations(page);
});
