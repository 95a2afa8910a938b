from prometheus_client import Counter

WEBHOOK_VERIFICATION_FAILURES = Counter(
    "webhook_verification_failures_total",
    "Twilio webhooks refused because their signature did not verify, by webhook.",
    ["webhook"],
)
