import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TagArrow } from "./TagArrow";
import type { Contact, Phone } from "./useTagShortcut";

const phone: Phone = {
  phone_id: "p1", e164: "+15125550101", type: "cell", primary: true, status: "active", wrong_number: false,
  opted_out: false, opted_in: false, opt_in: null, opt_out: null, area_code: "512", region: "TX", time_zone: "America/Chicago",
};
const contact = { id: "c1", first_name: "Avery", last_name: "Johnson", dnc: false } as Contact;

type Sent = { method: string; url: string; body: unknown };
let sent: Sent[];

beforeEach(() => {
  sent = [];
  vi.stubGlobal("fetch", async (input: Request) => {
    const body = input.method === "GET" || input.method === "DELETE" ? undefined : await input.clone().json();
    sent.push({ method: input.method, url: new URL(input.url).pathname + new URL(input.url).search, body });
    return new Response(JSON.stringify({ ...contact, phones: [phone], tags: [] }), { status: 200, headers: { "Content-Type": "application/json" } });
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function show(props: Parameters<typeof TagArrow>[0]) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(<QueryClientProvider client={client}><TagArrow {...props} /></QueryClientProvider>);
}

function openMenu(name: string) {
  const trigger = screen.getByRole("button", { name });
  fireEvent.keyDown(trigger, { key: "Enter" });
}

describe("the tag arrow beside a phone", () => {
  it("marks that phone Wrong Number", async () => {
    show({ contact, phone });
    openMenu("Tag shortcuts for (512) 555-0101");
    fireEvent.click(await screen.findByRole("menuitem", { name: "Mark Wrong Number" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ method: "POST", url: "/api/contacts/c1/tags", body: { tag: "Wrong Number", phone_id: "p1", consent: null } });
  });

  it("refuses to record an Opt-In without how the person gave consent", async () => {
    show({ contact, phone });
    openMenu("Tag shortcuts for (512) 555-0101");
    fireEvent.click(await screen.findByRole("menuitem", { name: "Opt-In…" }));
    const dialog = await screen.findByRole("dialog", { name: "Opt-In for (512) 555-0101" });
    fireEvent.click(screen.getByRole("button", { name: "Record opt-in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Say how they gave consent");
    expect(sent).toEqual([]);
    expect(dialog.isConnected).toBe(true);

    fireEvent.click(screen.getByRole("radio", { name: "Signed a paper form" }));
    fireEvent.change(screen.getByRole("textbox", { name: "Note (optional)" }), { target: { value: "at the rally" } });
    fireEvent.click(screen.getByRole("button", { name: "Record opt-in" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].body).toEqual({ tag: "Opt-In", phone_id: "p1", consent: { method: "paper form", note: "at the rally" } });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("offers no Opt-In for a phone that opted out, and says why", async () => {
    show({ contact, phone: { ...phone, opted_out: true } });
    openMenu("Tag shortcuts for (512) 555-0101");
    const item = await screen.findByRole("menuitem", { name: /only they can opt back in, by texting START/ });
    expect(item.getAttribute("aria-disabled")).toBe("true");
  });

  it("takes a Wrong Number back off", async () => {
    show({ contact, phone: { ...phone, wrong_number: true } });
    openMenu("Tag shortcuts for (512) 555-0101");
    fireEvent.click(await screen.findByRole("menuitem", { name: "Not a wrong number" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ method: "DELETE", url: "/api/contacts/c1/tags/Wrong%20Number?phone_id=p1" });
  });
});

describe("the tag arrow beside the name", () => {
  it("marks the person Do Not Contact", async () => {
    show({ contact });
    openMenu("Tag shortcuts for Avery Johnson");
    fireEvent.click(await screen.findByRole("menuitem", { name: "Mark Do Not Contact" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ method: "POST", url: "/api/contacts/c1/tags", body: { tag: "Do Not Contact", phone_id: null, consent: null } });
  });

  it("shows the API's refusal in its words", async () => {
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify({ detail: "you may not tag contacts" }), { status: 403, headers: { "Content-Type": "application/json" } }));
    show({ contact });
    openMenu("Tag shortcuts for Avery Johnson");
    fireEvent.click(await screen.findByRole("menuitem", { name: "Mark Do Not Contact" }));
    expect((await screen.findByRole("alert")).textContent).toContain("you may not tag contacts");
  });
});
