// What every browser test needs: a fresh account (made through the public API, signed in
// through the page), the API and the sandbox carrier's controls, and the accessibility check.
import AxeBuilder from "@axe-core/playwright";
import { expect, request as playwrightRequest, test as base, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

export { expect };

export type Account = {
  accountName: string;
  name: string;
  email: string;
  password: string;
  primaryCell: string;
  token: string;
};

export type NewContact = {
  first_name?: string;
  last_name?: string;
  emails?: string[];
  tags?: string[];
  phones?: { number: string; type?: string; primary?: boolean; status?: string }[];
  custom_fields?: Record<string, string | number | boolean | null>;
  notes?: string;
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through tests/e2e/test_browser.py (it starts the stack)`);
  return value;
}

async function expectStatus(response: APIResponse, statuses: number[], what: string): Promise<APIResponse> {
  if (!statuses.includes(response.status())) {
    throw new Error(`${what}: expected HTTP ${statuses.join(" or ")}, got ${response.status()}: ${await response.text()}`);
  }
  return response;
}

/** The public API as one signed-in user, failing loudly (with the API's words) on any refusal not asked for. */
export class Api {
  constructor(
    private readonly request: APIRequestContext,
    readonly token: string,
  ) {}

  async call(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, options: { json?: unknown; expect?: number[] } = {}) {
    const response = await this.request.fetch(path, {
      method,
      headers: { Authorization: `Bearer ${this.token}` },
      data: options.json,
    });
    await expectStatus(response, options.expect ?? [200, 201, 202, 204], `${method} ${path}`);
    return response.status() === 204 ? undefined : response.json();
  }

  get = (path: string) => this.call("GET", path);
  post = (path: string, json?: unknown) => this.call("POST", path, { json });
  patch = (path: string, json: unknown) => this.call("PATCH", path, { json });

  createContact(contact: NewContact): Promise<{ id: string; phones: { phone_id: string; e164: string }[] } & Record<string, unknown>> {
    return this.post("/api/contacts", contact);
  }

  /** The user's texting number, once bought (their first text or call starts the purchase). */
  async textingNumber(): Promise<string> {
    let number: string | undefined;
    await expect.poll(async () => {
      const mine = await this.call("GET", "/api/numbers/mine", { expect: [200, 404] });
      number = mine?.phone_number ?? undefined;
      return number;
    }, { message: "the user's texting number to be bought", timeout: 60_000 }).toBeTruthy();
    return number!;
  }
}

/** The sandbox carrier's /sandbox/* controls: what a real person's phone would do. */
export class Carrier {
  constructor(private readonly request: APIRequestContext) {}

  static async open(): Promise<Carrier> {
    const request = await playwrightRequest.newContext({
      baseURL: required("TWILIO_API_BASE_URL"),
      httpCredentials: { username: required("CARRIER_ACCOUNT_SID"), password: required("CARRIER_AUTH_TOKEN"), send: "always" },
    });
    return new Carrier(request);
  }

  /** A text from `from` (E.164) to the account's number `to`, delivered to the product's webhook. */
  async textIn(from: string, to: string, body: string): Promise<void> {
    const response = await this.request.post("/sandbox/inbound-messages", { data: { from, to, body } });
    await expectStatus(response, [200], "the sandbox carrier's inbound text");
  }

  /** Every text the product sent to `to`, oldest first. */
  async textsTo(to: string): Promise<{ from: string; to: string; body: string }[]> {
    const response = await expectStatus(await this.request.get("/sandbox/messages", { params: { to } }), [200], "the carrier's log");
    return (await response.json()).messages;
  }

  dispose = () => this.request.dispose();
}

/** A new account through POST /api/accounts, then a session through POST /api/auth/login (whatever sign-up answers). */
export async function createAccount(request: APIRequestContext, options: { name?: string; primaryCell?: string } = {}): Promise<Account> {
  const tag = randomBytes(5).toString("hex");
  const account = {
    accountName: `Campaign ${tag}`,
    name: options.name ?? "Demo Organiser",
    email: `organiser-${tag}@example.org`,
    password: `Lantern-${randomBytes(6).toString("hex")}-Harbour`,
    primaryCell: options.primaryCell ?? "(512) 474-2000",
  };
  await expectStatus(await request.post("/api/accounts", {
    data: { account_name: account.accountName, name: account.name, email: account.email, password: account.password, primary_cell: account.primaryCell },
  }), [201, 202], "sign-up");
  const login = await expectStatus(await request.post("/api/auth/login", { data: { email: account.email, password: account.password } }), [200], "sign-in");
  return { ...account, token: (await login.json()).access_token };
}

/** Signs in through the sign-in screen, as a person would, and waits for the signed-in shell. */
export async function signIn(page: Page, account: Pick<Account, "email" | "password">): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation")).toBeVisible();
}

export async function signUpAndSignIn(page: Page, request: APIRequestContext, options?: { name?: string; primaryCell?: string }) {
  const account = await createAccount(request, options);
  await signIn(page, account);
  return account;
}

/** Fails on any serious or critical axe violation, listing each with the elements it was found on. */
export async function expectNoSeriousA11yViolations(page: Page, options: { include?: string; exclude?: string } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
  if (options.include) builder = builder.include(options.include);
  if (options.exclude) builder = builder.exclude(options.exclude);
  const { violations } = await builder.analyze();
  const serious = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  const listed = serious.map((violation) =>
    `- [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n` +
    violation.nodes.map((node) => `    at ${node.target.join(" ")}: ${node.failureSummary?.replaceAll("\n", " ")}`).join("\n"));
  expect(serious, `axe found serious or critical violations on ${page.url()}:\n${listed.join("\n")}`).toEqual([]);
}

type Fixtures = { account: Account; api: Api; carrier: Carrier };

/** `account` is a fresh account signed in on `page`; `api` speaks for it; `carrier` plays the other phones. */
export const test = base.extend<Fixtures>({
  account: async ({ page, request }, use) => {
    await use(await signUpAndSignIn(page, request));
  },
  api: async ({ account, request }, use) => {
    await use(new Api(request, account.token));
  },
  carrier: async ({}, use) => {
    const carrier = await Carrier.open();
    await use(carrier);
    await carrier.dispose();
  },
});
