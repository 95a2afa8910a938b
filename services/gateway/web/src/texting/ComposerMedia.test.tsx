// Attaching images to a text: each chosen image is uploaded at once and Send carries its media id;
// a file too big or not an image is refused in words before anything is uploaded.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { File as NodeFile } from "node:buffer";
import { afterEach, beforeEach, expect, test } from "vitest";
import { answerWith, json } from "../test/fakeApi";
import { Composer } from "./Composer";

type Upload = { contentType: string | null; size: number };
const uploads: Upload[] = [];
const sent: { body: string; media_ids: string[] }[] = [];
const previews: { media_ids: string[] }[] = [];

beforeEach(() => {
  uploads.length = 0;
  sent.length = 0;
  previews.length = 0;
  sessionStorage.setItem("crm.token", "test-token");
  URL.createObjectURL = () => "blob:thumbnail";
  URL.revokeObjectURL = () => {};
  answerWith(async (request, url) => {
    if (url.pathname === "/api/me") {
      return json({ id: "u1", account_id: "a1", name: "Demo Organiser", email: "d@example.com", role: "owner", active: true, primary_cell: null,
        permissions: ["POST /api/messages", "POST /api/messages/preview", "POST /api/media"] });
    }
    if (url.pathname === "/api/media" && request.method === "POST") {
      const bytes = await request.arrayBuffer();
      uploads.push({ contentType: request.headers.get("Content-Type"), size: bytes.byteLength });
      return json({ media_id: "med-1", content_type: "image/png", size: bytes.byteLength, url: "/api/media/med-1/content" }, 201);
    }
    if (url.pathname === "/api/messages/preview") {
      const asked = await request.json();
      previews.push(asked);
      const mms = asked.media_ids.length > 0;
      return json({ body: asked.body, characters: asked.body.length, segments: 1, recipients: 1, encoding: "GSM-7", estimated_cost: mms ? "0.0200" : "0.0079",
        price_per_segment: "0.0079", price_per_mms: "0.0200", mms, media: [], warnings: [], replacements: [],
        suggested_body: null, suggested_encoding: null, suggested_segments: null, suggested_estimated_cost: null });
    }
    if (url.pathname === "/api/messages" && request.method === "POST") {
      sent.push(await request.json());
      return json({ messages: [{ message_id: "m1" }], skipped: [], warnings: [] }, 201);
    }
    return json({ detail: "not here" }, 404);
  });
});

afterEach(cleanup);

function renderComposer() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <Composer audience={{ contactId: "c1" }} recipients={1} />
    </QueryClientProvider>,
  );
}

const attachInput = () => screen.getByLabelText("Attach image", { selector: "input" }) as HTMLInputElement;
const sendButton = () => screen.getByRole("button", { name: "Send" });
// Node's File, which the fetch that the stand-in API runs on can read as a request body.
const file = (parts: BlobPart[], name: string, type: string) => new NodeFile(parts as never, name, { type }) as unknown as File;
const choose = (...files: File[]) => fireEvent.change(attachInput(), { target: { files } });
const png = (bytes: number, name = "sign.png") => file([new Uint8Array(bytes)], name, "image/png");

test("a chosen image is uploaded at once, shown with its size, priced as MMS, and Send posts its media id with no text", async () => {
  renderComposer();
  expect(screen.getByRole("button", { name: "Attach image" })).toBeTruthy();
  expect(attachInput().accept).toBe("image/jpeg,image/png,image/gif");
  expect(attachInput().multiple).toBe(true);

  choose(png(2048));
  const thumbnail = await screen.findByRole("img", { name: "sign.png" });
  expect(thumbnail.getAttribute("src")).toBe("blob:thumbnail");
  await waitFor(() => expect(uploads).toEqual([{ contentType: "image/png", size: 2048 }]));
  expect(screen.getByRole("list", { name: "Attached images" }).textContent).toContain("2 KB");
  await waitFor(() => expect(screen.getByTestId("mms").textContent).toBe("MMS: priced as one picture message"));
  expect(previews.at(-1)?.media_ids).toEqual(["med-1"]);

  await waitFor(() => expect(sendButton()).toHaveProperty("disabled", false));
  fireEvent.click(sendButton());
  await waitFor(() => expect(sent).toHaveLength(1));
  expect(sent[0].media_ids).toEqual(["med-1"]);
  expect(sent[0].body).toBe("");
  await waitFor(() => expect(screen.queryByRole("list", { name: "Attached images" })).toBeNull());
});

test("a removed image is not sent", async () => {
  renderComposer();
  choose(png(100));
  await waitFor(() => expect(uploads).toHaveLength(1));
  fireEvent.click(await screen.findByRole("button", { name: "Remove sign.png" }));
  expect(screen.queryByRole("list", { name: "Attached images" })).toBeNull();
  expect(screen.getByTestId("send-disabled-reason").textContent).toBe("Type a message or attach an image first.");
});

test("an image over 5 MB is refused in words and not uploaded", async () => {
  renderComposer();
  choose(png(6 * 1024 * 1024, "big.png"));
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toBe("big.png (6.0 MB) was not attached: a text's images may be at most 5 MB together.");
  expect(uploads).toEqual([]);
  expect(screen.queryByRole("list", { name: "Attached images" })).toBeNull();
});

test("a PDF is refused in words and not uploaded", async () => {
  renderComposer();
  choose(file(["%PDF-1.4"], "flyer.pdf", "application/pdf"));
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toBe("flyer.pdf is not a JPEG, PNG or GIF image, so it cannot be attached.");
  expect(uploads).toEqual([]);
});

test("the API's refusal of an upload is shown in its words and holds Send back", async () => {
  answerWith(async (_request, url) => {
    if (url.pathname === "/api/media") {
      return json({ detail: "the image could not be read", errors: [{ field: "body", problem: "not a JPEG, PNG or GIF image" }] }, 422);
    }
    return json({ detail: "not here" }, 404);
  });
  renderComposer();
  choose(png(100, "broken.png"));
  const alert = await screen.findByRole("alert");
  await waitFor(() => expect(alert.textContent).toContain("broken.png could not be uploaded: the image could not be read"));
  expect(alert.textContent).toContain("body: not a JPEG, PNG or GIF image");
  expect(screen.getByTestId("send-disabled-reason").textContent).toBe("Remove the images that could not be uploaded.");
});

test("at most ten images may be attached", async () => {
  renderComposer();
  choose(...Array.from({ length: 11 }, (_, index) => png(10, `p${index}.png`)));
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toBe("p10.png was not attached: a text may carry at most 10 images.");
  await waitFor(() => expect(uploads).toHaveLength(10));
});
