"""Tracing settings and export: a malformed endpoint is refused, a silent collector costs requests nothing
and holds up a stopping process only briefly."""

import subprocess
import sys
import textwrap
import time

import pydantic
import pytest

from shared.settings import ServiceSettings
from shared.tracing.setup import EXPORT_TIMEOUT_SECONDS
from tests.conftest import REPO_ROOT


def test_tracing_is_off_unless_an_endpoint_is_set(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    assert ServiceSettings().otlp_traces_endpoint == ""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "  ")
    assert ServiceSettings().otlp_traces_endpoint == ""


def test_a_well_formed_endpoint_is_kept(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/v1/traces")
    assert ServiceSettings().otlp_traces_endpoint == "http://jaeger:4318/v1/traces"


@pytest.mark.parametrize(
    "endpoint", ["jaeger:4318", "http://:4318/v1/traces", "http://jaeger:99999/v1/traces", "http://jaeger:port/", "grpc://jaeger:4317", "http://a b/", "http://" + "x" * 3000]
)
def test_a_malformed_endpoint_is_refused_at_start_up_with_a_clear_message(monkeypatch, endpoint):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint)
    with pytest.raises(pydantic.ValidationError) as refused:
        ServiceSettings()
    assert "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL such as http://collector:4318/v1/traces" in str(refused.value)


# Runs in its own process: a tracer provider is set once per process.
SILENT_COLLECTOR = textwrap.dedent(
    """
    import asyncio, socket, time
    import httpx
    from fastapi import FastAPI
    from shared.tracing import start_tracing

    collector = socket.socket()
    collector.bind(("127.0.0.1", 0))
    collector.listen(1)  # accepts connections and never answers
    start_tracing("test", f"http://127.0.0.1:{collector.getsockname()[1]}/v1/traces")
    app = FastAPI()

    @app.get("/ping")
    async def ping():
        return {"ok": True}

    async def main():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app") as client:
            await client.get("/ping")
            slowest = 0.0
            for _ in range(3000):  # more spans than the export queue holds
                started = time.monotonic()
                assert (await client.get("/ping")).status_code == 200
                slowest = max(slowest, time.monotonic() - started)
            print(slowest)

    asyncio.run(main())
    print(time.monotonic())  # the process exits from here, flushing its spans
    """
)


def test_a_collector_that_never_answers_does_not_slow_requests_or_the_exit():
    done = subprocess.run([sys.executable, "-c", SILENT_COLLECTOR], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    exited_at = time.monotonic()  # one clock for every process of the machine
    assert done.returncode == 0, done.stderr
    slowest, exit_started_at = (float(word) for word in done.stdout.split()[-2:])
    exit_seconds = exited_at - exit_started_at
    # The queue is full of spans the collector never takes; the exit gives up on them in time.
    assert exit_seconds < 6, f"the process took {exit_seconds:.1f}s to exit with the collector silent"
    # 3000 traced requests (each a server span and its children), the collector silent throughout:
    # none waited on an export, which would hold it for the export timeout.
    assert slowest < EXPORT_TIMEOUT_SECONDS, f"a request took {slowest:.1f}s with the collector silent"
