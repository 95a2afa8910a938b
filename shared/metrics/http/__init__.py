"""HTTP request timing and the /metrics route."""

from shared.metrics.http.exposition import metrics_endpoint
from shared.metrics.http.timing import RequestDurations, route_template

__all__ = ["RequestDurations", "metrics_endpoint", "route_template"]
