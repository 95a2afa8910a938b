from prometheus_client import Counter

TEXTS_SENT = Counter("texts_sent_total", "Texts the carrier accepted.")
TEXTS_DELIVERED = Counter("texts_delivered_total", "Texts the carrier reported delivered.")
TEXTS_FAILED = Counter(
    "texts_failed_total", "Texts that failed, by the carrier's error code (or the product's reason).", ["error_code"]
)
TEXTS_SKIPPED = Counter(
    "texts_skipped_total", "Texts not sent because the recipient was not eligible at send time, by reason.", ["reason"]
)
