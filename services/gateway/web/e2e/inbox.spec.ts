// The inbox and the live notifications in a real browser: a reply from the sandbox carrier
// raises a toast and the bell's count within 2 s, the toast opens the conversation (which reads
// it), the bell's list leads to it, and the screens pass axe.
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, test, type Api } from "./fixtures";

const AVERY_CELL = "+15125550101";

// Each test buys a number and waits on texts through the whole stack on two shared cores.
test.describe.configure({ timeout: 120_000 });

/** Avery Johnson, texted once from the account's number: the thread her reply lands in. */
async function averyTexted(api: Api): Promise<{ contactId: string; ourNumber: string }> {
  const avery = await api.createContact({ first_name: "Avery", last_name: "Johnson", phones: [{ number: "(512) 555-0101", type: "cell", primary: true }] });
  await api.post("/api/messages", { contact_id: avery.id, body: "Hi Avery, can we count on you Saturday?" });
  const ourNumber = await api.textingNumber();
  // The number's own "ready" notification is read first, so the bell counts replies only.
  await expect.poll(async () => (await api.get("/api/notifications")).items.some((n: { kind: string }) => n.kind === "number_provisioned"),
    { message: "the number's notification", timeout: 15_000 }).toBe(true);
  await api.post("/api/notifications/read-all");
  return { contactId: avery.id, ourNumber };
}

/** Loads a screen and waits until the live stream is open, so nothing pushed is missed. */
async function openLive(page: Page, path: string): Promise<void> {
  const streaming = page.waitForResponse((response) => response.url().includes("/api/notifications/stream?"));
  await page.goto(path);
  await streaming;
}

test("a reply shows a toast and raises the bell within 2 s; the toast opens the conversation, which reads it", async ({ page, api, carrier }) => {
  const { ourNumber } = await averyTexted(api);
  await openLive(page, "/contacts");
  const bell = page.getByRole("button", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications, 0 unread");

  await carrier.textIn(AVERY_CELL, ourNumber, "Yes! Count me in");
  const toast = page.getByRole("button", { name: "Avery Johnson: Yes! Count me in" });
  await expect(toast).toBeVisible({ timeout: 2000 });
  await expect(page.getByTestId("unread-count")).toHaveText("1", { timeout: 2000 });

  await toast.click();
  await expect(page).toHaveURL(/\/inbox\/[^/?]+$/);
  const pane = page.getByRole("article");
  await expect(pane.getByRole("heading", { name: "Avery Johnson" })).toBeVisible();
  const chain = pane.getByRole("region", { name: "Conversation with Avery Johnson" });
  await expect(chain.getByTestId("chain-message").filter({ hasText: "Yes! Count me in" })).toBeVisible();
  await expect(chain.getByTestId("chain-message").filter({ hasText: "Hi Avery, can we count on you Saturday?" })).toBeVisible();
  await expect(pane.getByText("(512) 555-0101", { exact: true })).toHaveAttribute("title", AVERY_CELL);
  await expect(pane.getByRole("link", { name: "Open Avery Johnson's profile" })).toBeVisible();

  // Opened means read: the list's badge and the bell's count go.
  const row = page.getByRole("link", { name: /^Avery Johnson/ }).first();
  await expect(row).toHaveAccessibleName("Avery Johnson: Yes! Count me in");
  await expect(bell).toHaveAccessibleName("Notifications, 0 unread");
  await expectNoSeriousA11yViolations(page);

  // The composer under the chain replies in place.
  await pane.getByRole("textbox", { name: "Message" }).fill("Thanks Avery, see you Saturday");
  await pane.getByRole("button", { name: "Send", exact: true }).click();
  await expect(chain.getByTestId("chain-message").filter({ hasText: "Thanks Avery, see you Saturday" })).toBeVisible();
  await expect(row).toHaveAccessibleName("Avery Johnson: You: Thanks Avery, see you Saturday");
});

test("the inbox lists threads by name with unread badges, filters in the URL, and the bell links each notification", async ({ page, api, carrier }) => {
  const { ourNumber } = await averyTexted(api);
  await openLive(page, "/inbox");
  await carrier.textIn(AVERY_CELL, ourNumber, "Yes! Count me in");
  await carrier.textIn("+17375550188", ourNumber, "Who is this?");

  const avery = page.getByRole("link", { name: "Avery Johnson, 1 unread: Yes! Count me in" });
  await expect(avery).toBeVisible();
  const stranger = page.getByRole("link", { name: "(737) 555-0188, 1 unread: Who is this?" });
  await expect(stranger).toBeVisible();
  await expect(page.getByTestId("unread-count")).toHaveText("2");
  await expectNoSeriousA11yViolations(page);

  const views = page.getByRole("navigation", { name: "Show conversations" });
  await views.getByRole("link", { name: "Unknown senders" }).click();
  await expect(page).toHaveURL(/\/inbox\?show=unknown$/);
  await expect(stranger).toBeVisible();
  await expect(avery).toBeHidden();
  await page.goBack();
  await expect(avery).toBeVisible();

  await views.getByRole("link", { name: "Unread" }).click();
  await expect(page).toHaveURL(/show=unread/);
  await expect(avery).toBeVisible();

  // The bell's list: each notification leads to its conversation.
  await page.getByRole("button", { name: "Notifications, 2 unread" }).click();
  const list = page.getByRole("menu");
  await expect(list.getByRole("menuitem", { name: /Who is this\?/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { include: ".notifications" });
  await list.getByRole("menuitem", { name: /Who is this\?/ }).click();
  await expect(page).toHaveURL(/\/inbox\/[^/?]+/);
  await expect(page.getByRole("article").getByRole("heading", { name: "(737) 555-0188" })).toBeVisible();
  await expect(page.getByRole("article")).toContainText("This number matches no contact");
  await expect(page.getByRole("button", { name: "Notifications, 1 unread" })).toBeVisible();

  // Desktop alerts are asked for from the bell, never on load.
  await page.getByRole("button", { name: "Notifications, 1 unread" }).click();
  await page.context().grantPermissions(["notifications"]);
  await page.getByRole("menuitem", { name: "Show desktop alerts" }).click();
  await page.getByRole("button", { name: "Notifications, 1 unread" }).click();
  await expect(page.getByRole("menuitem", { name: "Desktop alerts are on while this tab is in the background" })).toBeVisible();
  await page.getByRole("menuitem", { name: "Mark all read" }).click();
  await expect(page.getByRole("button", { name: "Notifications, 0 unread" })).toBeVisible();
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the inbox shows one pane at a time with a way back", async ({ page, api, carrier }) => {
    const { ourNumber } = await averyTexted(api);
    await carrier.textIn(AVERY_CELL, ourNumber, "Yes! Count me in");
    await page.goto("/inbox");
    await page.getByRole("link", { name: /^Avery Johnson/ }).click();
    await expect(page.getByRole("article").getByRole("heading", { name: "Avery Johnson" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Inbox" })).toBeHidden();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("link", { name: "← All conversations" }).click();
    await expect(page).toHaveURL(/\/inbox$/);
    await expect(page.getByRole("link", { name: /^Avery Johnson/ })).toBeVisible();
  });
});
