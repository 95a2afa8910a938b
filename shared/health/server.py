"""A small HTTP server for a process that has no API of its own (a send worker): the probes and
/metrics on a port of its own, in the process's event loop, leaving its signals to the process."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI

from shared.health.routes import install_probes


class _QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        yield  # the process handles SIGTERM itself and stops this server as part of its shutdown


def probes_app(*, service: str, runtime) -> FastAPI:
    app = FastAPI(title=service, openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    install_probes(app, service=service)
    return app


@contextlib.asynccontextmanager
async def serving_probes(*, service: str, runtime, host: str, port: int) -> AsyncIterator[None]:
    server = _QuietServer(uvicorn.Config(probes_app(service=service, runtime=runtime), host=host, port=port,
                                         log_config=None, access_log=False, lifespan="off"))
    task = asyncio.create_task(server.serve(), name=f"{service} probes")
    while not server.started:
        if task.done():
            task.result()  # the port is taken or invalid: say so at start-up
            raise SystemExit(f"{service}: the probes server on {host}:{port} stopped at start")
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await task
