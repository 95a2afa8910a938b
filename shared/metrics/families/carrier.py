from prometheus_client import Counter, Histogram

CARRIER_CALL_DURATION = Histogram(
    "carrier_call_duration_seconds",
    "Time of one call to the carrier's REST API, by operation and outcome (ok, or the error's kind).",
    ["operation", "outcome"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CARRIER_RETRIES = Counter(
    "carrier_retries_total", "Carrier calls made again after a retryable failure, by operation.", ["operation"]
)
