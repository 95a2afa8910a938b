from prometheus_client import Counter

IMPORT_ROWS = Counter(
    "import_rows_total", "CSV import rows handled, by outcome (created, merged into an existing contact, failed); its rate is rows/s.", ["outcome"]
)
