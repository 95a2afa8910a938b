"""GET /metrics: this process's metrics in Prometheus's text format (or every worker process's,
when the server runs several and PROMETHEUS_MULTIPROC_DIR names their shared directory)."""

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


def _registry() -> CollectorRegistry:
    if not os.environ.get(MULTIPROCESS_DIRECTORY):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


async def metrics_endpoint(request: Request) -> Response:
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)
