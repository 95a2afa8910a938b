// The answers a component test gives to the API client: one handler per test.
type Handler = (request: Request, url: URL) => Promise<Response> | Response;

let current: Handler = () => new Response("{}", { status: 404 });

export function answerWith(handler: Handler) {
  current = handler;
}

export function handle(request: Request): Promise<Response> {
  return Promise.resolve(current(request, new URL(request.url)));
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}
