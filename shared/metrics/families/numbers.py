from prometheus_client import Counter

NUMBER_PURCHASES = Counter("number_purchases_total", "Texting numbers bought for users.")
NUMBER_PURCHASE_FAILURES = Counter(
    "number_purchase_failures_total", "Number purchases that failed, by reason.", ["reason"]
)
