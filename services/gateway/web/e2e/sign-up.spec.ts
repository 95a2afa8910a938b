// Signing up in a real browser: the sign-up answer is the same for a new and a registered email,
// so the screen signs in next, and says so when a registered email's own password is not the one typed.
import { randomBytes } from "node:crypto";
import { createAccount, expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import type { Page } from "@playwright/test";

async function signUpOnScreen(page: Page, email: string, password: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Organisation").fill("Riverside Campaign");
  await page.getByLabel("Your name").fill("Robin Organiser");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("a new account is signed up and signed in, landing on the contacts grid", async ({ page }) => {
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await signUpOnScreen(page, `robin-${randomBytes(5).toString("hex")}@example.org`, `Lantern-${randomBytes(6).toString("hex")}-Harbour`);
  await expect(page.getByRole("navigation")).toBeVisible();
  await expect(page).toHaveURL(/\/contacts/);
});

test("signing up with a registered email and another password signs nobody in and says what to do", async ({ page, request }) => {
  const registered = await createAccount(request);
  await signUpOnScreen(page, registered.email, `Other-${randomBytes(6).toString("hex")}-Kettle`);
  await expect(page.getByRole("alert")).toContainText("If this email has an account already, sign in with its own password");
  await expect(page.getByRole("navigation")).toHaveCount(0);
  expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
});
