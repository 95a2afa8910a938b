// Texting from the contacts grid in a real browser: select, open the text sidebar from the
// bubble, send, the person replies through the sandbox carrier and the reply shows in the chain;
// a bulk send to all matching with its live progress and cancel; the same at 375 px; axe.
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test, type Api, type Carrier } from "./fixtures";

const AVERY = "+15125550101";

async function volunteers(api: Api) {
  await api.createContact({ first_name: "Avery", last_name: "Johnson", tags: ["Volunteers"], phones: [{ number: "(512) 555-0101", type: "cell", primary: true }] });
  await api.createContact({ first_name: "Blake", last_name: "Rivera", tags: ["Volunteers"], phones: [{ number: "(512) 555-0102", type: "home" }] });
  await api.createContact({ first_name: "Casey", last_name: "Nguyen", tags: ["Donors"], phones: [{ number: "(737) 555-0199", type: "cell" }] });
}

/** Tick Avery in the grid, open the sidebar from the bubble, text her, get her reply within 2 s. */
async function textAveryAndSeeHerReply(page: Page, api: Api, carrier: Carrier) {
  await page.goto("/contacts?tag=Volunteers");
  await page.getByRole("checkbox", { name: "Select Avery Johnson" }).check();
  await page.getByRole("button", { name: "Text 1 person" }).last().click();
  await expect(page).toHaveURL(/text=/);
  const sidebar = page.getByRole("dialog", { name: "Text Avery Johnson" });
  await expect(sidebar).toBeVisible();
  await expect(sidebar.getByText("No texts with Avery Johnson yet.")).toBeVisible();
  // The first text buys the sender's number: said before sending, and it does not stop the text.
  await expect(sidebar.getByRole("list", { name: "Before you send" })).toContainText("You have no texting number yet");

  const message = sidebar.getByRole("textbox", { name: "Message" });
  await message.fill("Hi {first_name|there}, can you canvass on Saturday?");
  // Counted live, and Send is open without any Preview press.
  await expect(sidebar.getByTestId("encoding")).toHaveText("GSM-7");
  await expect(sidebar.getByTestId("segments")).toHaveText("1 segment");
  await expect(sidebar.getByTestId("characters")).toHaveText("38 characters"); // merged for Avery
  await sidebar.getByRole("button", { name: "Send" }).click();
  await expect(sidebar.getByRole("status").filter({ hasText: "Sent to 1 phone." })).toBeVisible();
  const ourNumber = await api.textingNumber();

  const ours = sidebar.getByTestId("chain-message").filter({ hasText: "Hi Avery, can you canvass on Saturday?" });
  await expect(ours).toHaveClass(/outbound/);
  await expect(ours).toContainText("You");
  await expect(ours).toContainText("Delivered", { timeout: 20_000 });
  await expect.poll(async () => (await carrier.textsTo(AVERY)).map((text) => text.body)).toContain("Hi Avery, can you canvass on Saturday?");

  await carrier.textIn(AVERY, ourNumber, "Yes! Count me in");
  const reply = sidebar.getByTestId("chain-message").filter({ hasText: "Yes! Count me in" });
  await expect(reply).toBeVisible({ timeout: 2_000 });
  await expect(reply).toHaveClass(/inbound/);
  await expect(reply).toContainText("Avery Johnson");
  // Oldest at the top.
  await expect(sidebar.getByTestId("chain-message").first()).toContainText("canvass");
  return sidebar;
}

test("text one person from the grid's bubble and see the reply arrive live in the chain", async ({ page, api, carrier }) => {
  await volunteers(api);
  const sidebar = await textAveryAndSeeHerReply(page, api, carrier);
  await expectNoSeriousA11yViolations(page, { include: ".side-sheet" });
  await sidebar.getByRole("button", { name: "Close the text sidebar" }).click();
  await expect(page).not.toHaveURL(/text=/);
  await page.goBack();
  await expect(page.getByRole("dialog", { name: "Text Avery Johnson" })).toBeVisible(); // the sidebar is in the URL
});

test("a person who cannot be texted is said so in words and Send says why it is disabled", async ({ page, api }) => {
  const blake = await api.createContact({ first_name: "Blake", last_name: "Rivera", phones: [{ number: "(512) 555-0102", type: "home" }] });
  await page.goto(`/contacts?text=${blake.id}`);
  const sidebar = page.getByRole("dialog", { name: "Text Blake Rivera" });
  await expect(sidebar.getByRole("list", { name: "Why this text cannot go" })).toContainText("not a cell");
  await sidebar.getByRole("textbox", { name: "Message" }).fill("Hello");
  await expect(sidebar.getByRole("button", { name: "Send" })).toBeDisabled();
  await expect(sidebar.getByTestId("send-disabled-reason")).toContainText("Blake Rivera cannot be texted.");
});

test("select all matching, see who will be texted and why not, start the bulk send and cancel it", async ({ page, api }) => {
  for (let index = 0; index < 24; index += 1) {
    await api.createContact({ first_name: `Walker${index}`, last_name: "Canvass", tags: ["Walk list"], phones: [{ number: `(512) 555-${String(2000 + index)}`, type: "cell" }] });
  }
  await api.createContact({ first_name: "Dana", last_name: "Landline", tags: ["Walk list"], phones: [{ number: "(512) 555-3999", type: "landline" }] });
  await page.goto("/contacts?tag=Walk%20list");
  await expect(page.getByRole("status").filter({ hasText: "matching" })).toHaveText("25 matching");
  await page.getByRole("checkbox", { name: "Select Walker0 Canvass" }).check();
  await page.getByRole("button", { name: "Select all 25 matching" }).click();
  await expect(page.getByRole("region", { name: "Selection" })).toContainText("All 25 people matching selected");
  await page.getByRole("button", { name: "Text 25 people" }).last().click();
  await expect(page).toHaveURL(/text=all/);

  const sidebar = page.getByRole("dialog", { name: "Text all 25 matching" });
  await expect(sidebar.getByTestId("bulk-recipients")).toContainText("24 people will be texted (24 texts); 1 person cannot be.");
  await expect(sidebar.getByTestId("bulk-recipients")).toContainText("1 phone skipped: not a cell phone");
  await expectNoSeriousA11yViolations(page, { include: ".side-sheet" });

  await sidebar.getByRole("textbox", { name: "Message" }).fill("Walk day is Saturday, {first_name}!");
  await sidebar.getByRole("button", { name: "Send" }).click();
  const progress = sidebar.getByTestId("bulk-progress");
  await expect(progress).toBeVisible();
  await expect(progress.getByTestId("bulk-sent")).not.toHaveText("0", { timeout: 20_000 }); // live progress
  await progress.getByRole("button", { name: "Cancel the rest" }).click();
  await expect(progress.getByTestId("bulk-status")).toHaveText(/Cancell/);
  await expect(progress.getByTestId("bulk-status")).toHaveText("Cancelled", { timeout: 20_000 });
  await expect(progress.getByTestId("bulk-cancelled")).not.toHaveText("0");
  await expect(progress.getByRole("button", { name: "Cancel the rest" })).toHaveCount(0);
});

// A 1×1 PNG: the API reads an image's type from its bytes.
const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

test("attach an image, send it with no text, and the carrier is asked to deliver it as MMS", async ({ page, api, carrier }) => {
  const avery = await api.createContact({ first_name: "Avery", last_name: "Johnson", phones: [{ number: "(512) 555-0101", type: "cell", primary: true }] });
  await page.goto(`/contacts?text=${avery.id}`);
  const sidebar = page.getByRole("dialog", { name: "Text Avery Johnson" });
  await sidebar.getByLabel("Attach image", { exact: true }).and(sidebar.locator("input[type=file]")).setInputFiles({ name: "sign.png", mimeType: "image/png", buffer: TINY_PNG });
  await expect(sidebar.getByRole("list", { name: "Attached images" }).getByRole("img", { name: "sign.png" })).toBeVisible();
  await expect(sidebar.getByTestId("mms")).toHaveText("MMS: priced as one picture message");
  await sidebar.getByRole("button", { name: "Send" }).click();
  await expect(sidebar.getByRole("status").filter({ hasText: "Sent to 1 phone." })).toBeVisible();
  await expect(sidebar.getByRole("list", { name: "Attached images" })).toHaveCount(0);
  await expect.poll(async () => (await carrier.textsTo(AVERY)).map((text) => (text as { media_urls?: string[] }).media_urls?.length ?? 0), { timeout: 20_000 }).toContain(1);
});

test.describe("at 375 px wide", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the same texting flow works on a phone-sized screen", async ({ page, api, carrier }) => {
    await volunteers(api);
    await textAveryAndSeeHerReply(page, api, carrier);
    const box = await page.locator(".side-sheet").boundingBox();
    expect(box && box.width).toBeLessThanOrEqual(375);
    await expectNoSeriousA11yViolations(page, { include: ".side-sheet" });
  });
});
