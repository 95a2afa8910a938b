// The typed API client, generated from the gateway's OpenAPI document (openapi.json).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { session } from "../session/token";

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: back to the sign-in screen.
    if (response.status === 401 && session.token()) session.signOut();
    return response;
  },
};

// An absolute base and fetch looked up per request, so component tests can stand in for the network.
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "", fetch: (request) => globalThis.fetch(request) });
api.use(bearer);

export type Schemas = import("./schema").components["schemas"];
