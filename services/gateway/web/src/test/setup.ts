// Component tests talk to a stand-in API (see fakeApi.ts). The API client keeps the fetch and
// Request it saw when it was made, so both are set here, before any test imports it.
import { handle } from "./fakeApi";

// Node's Request wants absolute URLs; the client asks for "/api/...", as a page would.
class PageRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "string" ? new URL(input, window.location.origin) : input, init);
  }
}

globalThis.Request = PageRequest;
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => handle(new PageRequest(input, init));
