"""GET /healthz, /readyz and /metrics on a service's own HTTP port (never behind the gateway's /api).

/readyz asks `app.state.runtime.readiness`: a process without a runtime (the sandbox carrier)
depends on nothing and is ready whenever it answers; one whose runtime is not built yet is not."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.metrics.http import RequestDurations, metrics_endpoint

PROBE_PATHS = ("/healthz", "/readyz", "/metrics")


async def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    readiness = getattr(getattr(state, "runtime", None), "readiness", None)
    if readiness is None:
        ready = not getattr(state, "needs_runtime", False)
        return JSONResponse({"status": "ready" if ready else "starting"}, status_code=200 if ready else 503)
    report = await readiness.report()
    body = {"status": "ready" if all(report.values()) else "not ready",
            "checks": {name: "ok" if ok else "unreachable" for name, ok in report.items()}}
    return JSONResponse(body, status_code=200 if all(report.values()) else 503)


def install_probes(app: FastAPI, *, service: str, needs_runtime: bool = True) -> None:
    """The three operations routes, and the timing of every request under its route template."""
    app.state.needs_runtime = needs_runtime
    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    app.add_api_route("/readyz", readyz, methods=["GET"], include_in_schema=False)
    app.add_api_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
    app.add_middleware(RequestDurations, service=service)
