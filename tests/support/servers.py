"""Apps on real ports inside the test's event loop, and the warnings of the twilio SDK that are not ours."""

import asyncio
import contextlib
import socket
from collections.abc import Iterable
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

# twilio 9.13's async client still uses aiohttp's deprecated BasicAuth; not ours to fix.
SDK_DEPRECATIONS = (
    "ignore:BasicAuth is deprecated:DeprecationWarning",
    "ignore:The 'auth' parameter is deprecated:DeprecationWarning",
)
STARTUP_POLL_SECONDS = 0.01


def ignore_sdk_deprecations(items: Iterable[pytest.Item], folder: Path) -> None:
    """Mark the tests under `folder` to ignore the SDK's own deprecation warnings."""
    for item in items:
        if folder in item.path.parents:
            for ignored in SDK_DEPRECATIONS:
                item.add_marker(pytest.mark.filterwarnings(ignored))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(app: FastAPI, port: int | None = None):
    """Serve `app` with uvicorn on 127.0.0.1 (a free port unless given); yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises why the server could not start
        await asyncio.sleep(STARTUP_POLL_SECONDS)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
