"""Settings every service shares; each service subclasses with its own env prefix.

The shared infrastructure fields keep their plain names (KAFKA_BOOTSTRAP_SERVERS,
MONGO_URL, INTERNAL_AUTH_SECRET, ...) whatever the service's prefix.
"""

from typing import Any, ClassVar, Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-internal-secret-change-me"


def shared_field(env_name: str, default: Any) -> Any:
    """A setting read from `env_name` exactly, ignoring the service's prefix."""
    return Field(default=default, validation_alias=AliasChoices(env_name, env_name.lower()))


class ServiceSettings(BaseSettings):
    """Infrastructure and trust settings; read from the environment and `.env`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = shared_field("ENVIRONMENT", "development")
    kafka_bootstrap_servers: str = shared_field("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    kafka_topic_namespace: str = shared_field("KAFKA_TOPIC_NAMESPACE", "")
    mongo_url: str = shared_field("MONGO_URL", "mongodb://127.0.0.1:27027/")
    internal_auth_secret: str = shared_field("INTERNAL_AUTH_SECRET", DEVELOPMENT_SECRET)
    # The audience of the caller tokens this service accepts (each service names its own), and
    # the longest a caller token may be made to live.
    caller_audience: ClassVar[str] = ""
    caller_token_max_seconds: float = shared_field("CALLER_TOKEN_MAX_SECONDS", 300.0)
    log_level: str = shared_field("LOG_LEVEL", "INFO")

    @model_validator(mode="after")
    def _refuse_placeholder_secrets_in_production(self):
        if self.environment == "production" and self.internal_auth_secret == DEVELOPMENT_SECRET:
            raise ValueError("INTERNAL_AUTH_SECRET must be set to a real secret in production")
        return self
