// Talking to the gateway: the signed-in session, JSON calls, downloads, and the way
// every error the API returns is put in front of the user with its detail.

export const session = { token: sessionStorage.getItem("crm.token"), me: null };

export class ApiError extends Error {
  constructor(status, body) {
    super(describeProblem(status, body));
    this.status = status;
    this.body = body;
  }
}

// A readable sentence (or several lines) from any of the error shapes the services answer with:
// {"detail": "..."}, {"detail": "...", "errors": [{field, problem}]}, FastAPI's
// {"detail": [{loc, msg}]}, and {"detail": "...", "skipped": [{phone_id, reason}]}.
export function describeProblem(status, body) {
  if (!body) return `${status}: the server gave no detail`;
  const lines = [];
  if (typeof body.detail === "string") lines.push(body.detail);
  if (Array.isArray(body.detail)) {
    for (const item of body.detail) lines.push(`${(item.loc || []).join(".")}: ${item.msg}`);
  }
  for (const item of body.errors || []) lines.push(`${item.field}: ${item.problem}`);
  for (const item of body.skipped || []) lines.push(`phone ${item.phone_id} skipped: ${item.reason}`);
  if (!lines.length) lines.push(JSON.stringify(body));
  return `${status}: ${lines.join("\n")}`;
}

async function send(path, { method = "GET", json, body, contentType } = {}) {
  const headers = { Authorization: `Bearer ${session.token}` };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (contentType) {
    headers["Content-Type"] = contentType;
  }
  const response = await fetch(path, { method, headers, body });
  if (!response.ok) {
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { detail: text }; }
    throw new ApiError(response.status, parsed);
  }
  return response;
}

// JSON in, JSON out; throws ApiError (with the API's detail) on any non-2xx answer.
export async function api(path, options = {}) {
  const response = await send(path, options);
  return response.status === 204 ? null : response.json();
}

// A file the API streams (CSV export, import error report), saved under its own name.
export async function download(path, fallbackName) {
  const response = await send(path);
  const disposition = response.headers.get("content-disposition") || "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || fallbackName;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
