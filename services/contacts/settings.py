"""Settings of the contacts service (env prefix CONTACTS_, shared infra names unprefixed)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import Port, ServiceSettings


class ContactsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONTACTS_", env_file=".env", extra="ignore", populate_by_name=True)

    caller_audience: ClassVar[str] = "contacts"

    database: str = "contacts"
    http_host: str = "127.0.0.1"
    http_port: Port = 8001
    default_phone_region: str = "US"
    consumer_group: str = "contacts"
    # CSV imports: rows per batch (one checkpoint each), how long a worker's claim on a
    # job lasts without its heartbeat before another may take it over, the upload limit.
    import_batch_size: int = 2000
    # Rows a worker reads of one import before the next account's turn.
    import_slice_rows: int = 10_000
    import_lease_seconds: float = 60.0
    import_poll_seconds: float = 2.0
    import_max_bytes: int = 512 * 1024 * 1024
    import_spool_dir: str | None = None
    # Imports whose file a worker keeps open between their slices (each a copy on disk).
    import_open_files: int = 4
    # Custom tags one contact may carry, and one account may have.
    max_tags_per_contact: int = 100
    max_tags_per_account: int = 5000
    # A new deployment fills timelines from the oldest texts and calls Kafka still holds.
    activity_history: bool = True
    # Writes wake the relay at once; the poll only catches what other processes left.
    outbox_poll_seconds: float = 5.0
