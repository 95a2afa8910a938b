// The composer's live counter against a preview answer computed like the messaging service's:
// counts follow typing without any Preview press, and Send says why it is disabled.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, expect, test } from "vitest";
import { answerWith, json } from "../test/fakeApi";
import { Composer } from "./Composer";

const GSM_SEGMENT = 160;
const GSM_PART = 153;
const UCS_SEGMENT = 70;
const UCS_PART = 67;

function previewOf(body: string, recipients: number) {
  const smart = /[“”‘’]/.test(body);
  const unicode = smart || /[^\x20-\x7e\n]/.test(body);
  const characters = [...body].length;
  const [single, part] = unicode ? [UCS_SEGMENT, UCS_PART] : [GSM_SEGMENT, GSM_PART];
  const segments = characters <= single ? 1 : Math.ceil(characters / part);
  const plain = body.replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
  return {
    body, characters, segments, recipients, encoding: unicode ? "UCS-2" : "GSM-7", estimated_cost: (segments * 0.0079).toFixed(4),
    price_per_segment: "0.0079", warnings: [],
    replacements: smart ? [{ original: "“", replacement: '"', count: 1 }, { original: "”", replacement: '"', count: 1 }] : [],
    suggested_body: smart ? plain : null, suggested_encoding: smart ? "GSM-7" : null, suggested_segments: smart ? 1 : null, suggested_estimated_cost: null,
  };
}

const previews: string[] = [];

beforeEach(() => {
  previews.length = 0;
  sessionStorage.setItem("crm.token", "test-token");
  answerWith(async (request, url) => {
    if (url.pathname === "/api/me") {
      return json({ id: "u1", account_id: "a1", name: "Demo Organiser", email: "d@example.com", role: "owner", active: true, primary_cell: null,
        permissions: ["POST /api/messages", "POST /api/messages/preview"] });
    }
    if (url.pathname === "/api/messages/preview") {
      const asked = await request.json();
      previews.push(asked.body);
      return json(previewOf(asked.body, asked.recipients));
    }
    return json({ detail: "not here" }, 404);
  });
});

afterEach(cleanup);

function renderComposer(props: Partial<Parameters<typeof Composer>[0]> = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <Composer audience={{ contactId: "c1" }} recipients={1} {...props} />
    </QueryClientProvider>,
  );
}

const message = () => screen.getByRole("textbox", { name: "Message" });
const sendButton = () => screen.getByRole("button", { name: "Send" });

test("the counts follow the text as it is typed, without pressing Preview", async () => {
  renderComposer();
  fireEvent.change(message(), { target: { value: "Hello Avery" } });
  await waitFor(() => expect(screen.getByTestId("characters").textContent).toBe("11 characters"));
  expect(screen.getByTestId("encoding").textContent).toBe("GSM-7");
  expect(screen.getByTestId("segments").textContent).toBe("1 segment");

  fireEvent.change(message(), { target: { value: "x".repeat(161) } });
  await waitFor(() => expect(screen.getByTestId("characters").textContent).toBe("161 characters"));
  expect(screen.getByTestId("segments").textContent).toBe("2 segments");
  expect(screen.queryByRole("button", { name: /preview/i })).toBeNull();
});

test("typing fast asks for one preview once the typing settles", async () => {
  renderComposer();
  for (const text of ["H", "He", "Hel", "Hell", "Hello"]) fireEvent.change(message(), { target: { value: text } });
  await waitFor(() => expect(screen.getByTestId("characters").textContent).toBe("5 characters"));
  expect(previews).toEqual(["Hello"]);
});

test("smart quotes show UCS-2 and one click puts plain quotes back", async () => {
  renderComposer();
  fireEvent.change(message(), { target: { value: "She said “yes”" } });
  await waitFor(() => expect(screen.getByTestId("encoding").textContent).toBe("UCS-2"));
  fireEvent.click(screen.getByRole("button", { name: "Use plain characters" }));
  expect((message() as HTMLTextAreaElement).value).toBe('She said "yes"');
  await waitFor(() => expect(screen.getByTestId("encoding").textContent).toBe("GSM-7"));
});

test("Send is enabled as soon as there is text, with no Preview press", async () => {
  renderComposer();
  await waitFor(() => expect(screen.getByTestId("send-disabled-reason").textContent).toBe("Type a message or attach an image first."));
  expect(sendButton()).toHaveProperty("disabled", true);
  fireEvent.change(message(), { target: { value: "Hi" } });
  expect(sendButton()).toHaveProperty("disabled", false);
  expect(screen.queryByTestId("send-disabled-reason")).toBeNull();
});

test("Send says why it is disabled when the person cannot be texted", async () => {
  renderComposer({ blockers: ["Avery Johnson is marked Do Not Contact."] });
  fireEvent.change(message(), { target: { value: "Hi" } });
  await waitFor(() => expect(screen.getByTestId("send-disabled-reason").textContent).toBe("Avery Johnson is marked Do Not Contact."));
  expect(sendButton()).toHaveProperty("disabled", true);
  expect(sendButton().getAttribute("aria-describedby")).toBe(screen.getByTestId("send-disabled-reason").id);
  expect(screen.getByRole("list", { name: "Why this text cannot go" }).textContent).toContain("Do Not Contact");
});

test("a text over the limit cannot be sent and says so", async () => {
  renderComposer();
  await act(async () => {
    fireEvent.change(message(), { target: { value: "y".repeat(1601) } });
  });
  await waitFor(() => expect(screen.getByTestId("send-disabled-reason").textContent).toBe("The message is 1601 characters; the most is 1600."));
});
