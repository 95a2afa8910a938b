"""Settings of the contacts service (env prefix CONTACTS_, shared infra names unprefixed)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ContactsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONTACTS_", env_file=".env", extra="ignore", populate_by_name=True)

    database: str = "contacts"
    http_host: str = "127.0.0.1"
    http_port: int = 8001
    default_phone_region: str = "US"
    consumer_group: str = "contacts"
    # FerretDB v1 does not isolate concurrent updates of one document; one writer at a
    # time per process keeps them apart (adapters/serialized.py). False on real MongoDB.
    serialize_writes: bool = True
