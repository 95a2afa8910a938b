// The README's pictures: each main screen of the demo account at desktop width, and the texting
// flow at 375 px. Run by deploy/local/screenshots against a product started with its demo data.
import { expect, test, type Page } from "@playwright/test";
import { fileURLToPath } from "node:url";

const SHOTS = fileURLToPath(new URL("../../../../docs/screenshots/", import.meta.url));
const DEMO = { email: "demo@example.org", password: "demo-password-1" };

async function signIn(page: Page) {
  await page.goto("/");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

async function photograph(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: false });
}

async function openScreen(page: Page, path: string, heading: RegExp) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

test.describe("desktop", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("sign in", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await photograph(page, "sign-in");
  });

  test("main screens", async ({ page }) => {
    await signIn(page);
    await openScreen(page, "/contacts", /contacts/i);
    await expect(page.getByText("Avery Johnson", { exact: true })).toBeVisible();
    await photograph(page, "contacts");

    for (const name of ["Casey Nguyen", "Indigo Clark", "Finley Brown"]) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
    await page.getByRole("button", { name: "Text 3 people" }).last().click();
    const sidebar = page.getByRole("dialog", { name: /Text/ });
    await sidebar.getByRole("textbox", { name: "Message" }).fill("Hi {first_name|there}, doors open at 9 on Saturday. Can you join us?");
    await expect(sidebar.getByText(/skipped/)).toBeVisible();
    await expect(sidebar.getByText("Counting…")).toHaveCount(0);
    await photograph(page, "text-sidebar");

    await page.goto("/contacts");
    await page.getByRole("row").filter({ hasText: "Avery Johnson" }).dblclick();
    await expect(page.getByRole("heading", { level: 1, name: /Avery Johnson/ })).toBeVisible();
    await expect(page.getByText("Yes! Count me in").first()).toBeVisible();
    await photograph(page, "profile");

    await openScreen(page, "/inbox", /inbox/i);
    await page.getByText("Avery Johnson").first().click();
    await expect(page.getByText("Yes! Count me in").last()).toBeVisible();
    await photograph(page, "inbox");

    for (const [path, heading, name] of [
      ["/imports", /import/i, "imports"],
      ["/numbers", /number/i, "numbers"],
      ["/registration", /registration/i, "registration"],
      ["/users", /users/i, "users"],
    ] as const) {
      await openScreen(page, path, heading);
      await photograph(page, name);
    }
  });
});

test.describe("phone", () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test("contacts and a conversation at 375 px", async ({ page }) => {
    await signIn(page);
    await openScreen(page, "/contacts", /contacts/i);
    await photograph(page, "phone-contacts");
    await openScreen(page, "/inbox", /inbox/i);
    await page.getByText("Avery Johnson").first().click();
    await expect(page.getByText("Yes! Count me in").last()).toBeVisible();
    await photograph(page, "phone-conversation");
  });
});
