"""The settings a drill's stack runs with, beside the product's defaults."""


def drill_settings() -> dict[str, str]:
    return {
        # The texts go to real US time zones at whatever hour the drill runs.
        "MESSAGING_QUIET_HOURS_ENFORCED": "false",
        # The long-code rate (1 segment/s) would make a drill of thousands of texts take hours.
        "MESSAGING_SENDER_SEGMENTS_PER_SECOND": "0",
        "MESSAGING_ACCOUNT_CONCURRENT_CARRIER_CALLS": "16",
        # A drill of five bulk sends of 10,000 texts goes past a day's quota of a typical brand.
        "MESSAGING_TEXTS_PER_DAY": "10000000",
        # A process killed between recording a text's state and counting it leaves its job a count
        # short until the recounter sees the job quiet; a drill waits for that, so it looks sooner.
        "MESSAGING_JOB_RECOUNT_QUIET_SECONDS": "10",
        "MESSAGING_JOB_RECOUNT_POLL_SECONDS": "5",
        # Twilio retries a webhook that failed, with its connection overrides up to several times;
        # here enough times, backing off, to outlast the drill's outages.
        "CARRIER_WEBHOOK_MAX_ATTEMPTS": "12",
        "CARRIER_WEBHOOK_RETRY_BACKOFF_SECONDS": "0.25",
    }
