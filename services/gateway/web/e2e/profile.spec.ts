// A contact's profile in a real browser: the tag arrows, what stops a text or a call, and the timeline in words.
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

const AVERY_CELL = "+15125550101";
const AVERY_SECOND_CELL = "+15125550102";

test("the profile shows who the person is, and its timeline says in words who did what", async ({ page, api, carrier }) => {
  test.slow(); // a text out and two replies back through the carrier, Kafka and three services
  const avery = await api.createContact({
    first_name: "Avery", last_name: "Johnson", emails: ["avery@example.org"], tags: ["Volunteers"],
    phones: [{ number: "(512) 555-0101", type: "cell", primary: true }, { number: "512-555-0102", type: "cell" }],
    custom_fields: { shifts: 3, joined: "2024-05-01", has_car: true, shirt: "M" },
  });
  await api.post("/api/messages", { contact_id: avery.id, body: "Hi Avery, can you help on Saturday?" });
  const ourNumber = await api.textingNumber();
  await expect.poll(async () => (await carrier.textsTo(AVERY_CELL)).filter((text) => text.from === ourNumber).length,
    { message: "the text to reach the carrier", timeout: 30_000 }).toBe(1);
  await carrier.textIn(AVERY_CELL, ourNumber, "Yes! Count me in");
  await carrier.textIn(AVERY_SECOND_CELL, ourNumber, "STOP");
  await expect.poll(async () => {
    const kinds = ((await api.get(`/api/contacts/${avery.id}`)).timeline as { kind: string }[]).map((entry) => entry.kind);
    return ["texted", "replied", "opted_out"].every((kind) => kinds.includes(kind));
  }, { message: "the text, the reply and the opt-out on the timeline", timeout: 30_000 }).toBe(true);

  // The grid's double-click opens the profile.
  await page.goto("/contacts");
  await page.getByRole("row").filter({ hasText: "Avery Johnson" }).dblclick();
  await expect(page).toHaveURL(new RegExp(`/contacts/${avery.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Avery Johnson" })).toBeVisible();

  const phones = page.getByRole("region", { name: "Phones" });
  await expect(phones.getByText("(512) 555-0101")).toHaveAttribute("title", AVERY_CELL);
  await expect(phones.getByRole("listitem").filter({ hasText: "(512) 555-0102" })).toContainText("Opted out");
  await expect(page.getByRole("link", { name: "avery@example.org" })).toBeVisible();
  const fields = page.getByRole("region", { name: "Custom fields" });
  await expect(fields.getByLabel("shifts", { exact: true })).toHaveAttribute("type", "number");
  await expect(fields.getByLabel("shifts", { exact: true })).toHaveValue("3");
  await expect(fields.getByLabel("joined", { exact: true })).toHaveAttribute("type", "date");
  await expect(fields.getByLabel("has_car", { exact: true })).toBeChecked();
  await expect(fields.getByLabel("shirt", { exact: true })).toHaveValue("M");

  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("Demo Organiser texted (512) 555-0101");
  await expect(timeline).toContainText("Replied: Yes! Count me in");
  await expect(timeline).toContainText("Opted out by replying STOP");
  await expect(timeline).toContainText("Added by Demo Organiser");
  await expect(timeline).not.toContainText("(user)");
  await expect(timeline).not.toContainText(avery.id);
  const chain = page.getByRole("region", { name: "Conversation", exact: true });
  await expect(chain).toContainText("Hi Avery, can you help on Saturday?");
  await expect(chain).toContainText("Yes! Count me in");
  await page.getByRole("button", { name: "Text", exact: true }).click();
  await expect(chain.getByRole("textbox", { name: "Message" })).toBeFocused();
  await expectNoSeriousA11yViolations(page);

  // Tags and notes change in place.
  await page.getByRole("combobox", { name: "Add a tag" }).fill("Drivers");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText("Drivers");
  await page.getByRole("button", { name: "Remove tag Volunteers" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).not.toContainText("Volunteers");
  await page.getByLabel("Add a note").fill("Has a van for the rally.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("region", { name: "Notes" })).toContainText("Demo Organiser: Has a van for the rally.");
  await fields.getByLabel("shifts", { exact: true }).fill("4");
  await fields.getByRole("button", { name: "Save fields" }).click();
  await expect.poll(async () => (await api.get(`/api/contacts/${avery.id}`)).custom_fields.shifts).toBe(4);
});

test("Opt-In refuses without the consent answer; a phone marked Wrong Number from its arrow can no longer be texted", async ({ page, api }) => {
  const avery = await api.createContact({ first_name: "Avery", last_name: "Johnson", phones: [{ number: "(512) 555-0101", type: "cell", primary: true }] });
  await page.goto(`/contacts/${avery.id}`);
  const text = page.getByRole("button", { name: "Text", exact: true });
  await expect(text).toBeEnabled();

  await page.getByRole("button", { name: "Tag shortcuts for (512) 555-0101" }).click();
  await page.getByRole("menuitem", { name: "Opt-In…" }).click();
  const dialog = page.getByRole("dialog", { name: "Opt-In for (512) 555-0101" });
  await dialog.getByRole("button", { name: "Record opt-in" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Say how they gave consent before recording the opt-in.");
  await expect(dialog).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("radio", { name: "Signed a paper form" }).check();
  await dialog.getByRole("button", { name: "Record opt-in" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("region", { name: "Phones" })).toContainText("Opted in");

  await page.getByRole("button", { name: "Tag shortcuts for (512) 555-0101" }).click();
  await page.getByRole("menuitem", { name: "Mark Wrong Number" }).click();
  await expect(page.getByRole("region", { name: "Phones" }).getByRole("listitem")).toContainText("Wrong number");
  await expect(text).toBeDisabled();
  const why = "Avery Johnson cannot be texted. (512) 555-0101 cannot be texted: it is marked Wrong Number.";
  await expect(text).toHaveAccessibleDescription(why);
  // The composer on the profile says it too, and will not send.
  const conversation = page.getByRole("region", { name: "Conversation", exact: true });
  await expect(conversation.getByRole("list", { name: "Why this text cannot go" })).toContainText("(512) 555-0101 cannot be texted: it is marked Wrong Number.");
  await conversation.getByRole("textbox", { name: "Message" }).fill("Are you still with us?");
  await expect(conversation.getByRole("button", { name: "Send" })).toBeDisabled();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("Marked Wrong Number by Demo Organiser for (512) 555-0101");
  await expect(timeline).toContainText("Opt-In recorded by Demo Organiser (paper form) for (512) 555-0101");

  // And the messaging service, once it has heard of the tag, skips the phone for the same reason.
  await expect.poll(async () => JSON.stringify(await api.call("POST", "/api/messages", { json: { contact_id: avery.id, body: "Hello?" }, expect: [202, 422] })),
    { timeout: 30_000 }).toContain("wrong_number");
});

test("a person marked Do Not Contact from the arrow by their name cannot be called, and the refusal says why", async ({ page, api }) => {
  const dana = await api.createContact({ first_name: "Dana", last_name: "Reyes", phones: [{ number: "(512) 555-0199", type: "cell", primary: true }] });
  await page.goto(`/contacts/${dana.id}`);
  await page.getByRole("button", { name: "Tag shortcuts for Dana Reyes" }).click();
  await page.getByRole("menuitem", { name: "Mark Do Not Contact" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dana Reyes" }).locator("..")).toContainText("DNC");
  await expect(page.getByRole("button", { name: "Text", exact: true })).toHaveAccessibleDescription("Dana Reyes is marked Do Not Contact.");

  // The numbers service hears of the tag through Kafka: until then it may not know Dana yet.
  await expect(async () => {
    await page.getByRole("button", { name: /^Call/ }).first().click();
    await expect(page.getByRole("alert")).toContainText(/cannot call: Dana Reyes is tagged Do Not Contact/i, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expectNoSeriousA11yViolations(page);
});
