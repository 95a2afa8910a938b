"""Settings every service shares; each service subclasses with its own env prefix.

The shared infrastructure fields keep their plain names (KAFKA_BOOTSTRAP_SERVERS,
MONGO_URL, INTERNAL_AUTH_SECRET, ...) whatever the service's prefix.
"""

from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator

from shared.tracing.endpoint import otlp_endpoint
from pydantic_settings import BaseSettings, SettingsConfigDict

Port = Annotated[int, Field(ge=1, le=65535)]
"""A TCP port to listen on (the HTTP port, which also serves /metrics and the probes)."""

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
    # On SIGTERM: how long in-flight requests and Kafka handlers get to finish before they are cut.
    shutdown_grace_seconds: float = Field(default=20.0, gt=0, le=600, validation_alias=AliasChoices("SHUTDOWN_GRACE_SECONDS"))
    # How often each process samples the gauges that are looked up (consumer lag, outbox backlog).
    metrics_sample_seconds: float = Field(default=5.0, gt=0, le=300, validation_alias=AliasChoices("METRICS_SAMPLE_SECONDS"))
    # Where spans go (an OTLP/HTTP traces URL, e.g. http://jaeger:4318/v1/traces); unset: not traced.
    otlp_traces_endpoint: str = shared_field("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
    _valid_otlp_endpoint = field_validator("otlp_traces_endpoint")(otlp_endpoint)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets_in_production(self):
        if self.environment == "production" and self.internal_auth_secret == DEVELOPMENT_SECRET:
            raise ValueError("INTERNAL_AUTH_SECRET must be set to a real secret in production")
        return self


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def load_settings(settings_class: type[SettingsT]) -> SettingsT:
    """The settings of a process at start-up; a malformed value stops it with one line per
    problem naming the variable, rather than a traceback."""
    try:
        return settings_class()
    except ValidationError as error:
        raise SystemExit(_explained(settings_class, error)) from None


def _explained(settings_class: type[BaseSettings], error: ValidationError) -> str:
    prefix = settings_class.model_config.get("env_prefix", "")
    lines = [f"{settings_class.__name__}: invalid settings, not starting:"]
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        described = settings_class.model_fields.get(field)
        alias = described.validation_alias if described else None
        variable = alias.choices[0] if isinstance(alias, AliasChoices) else (prefix + field).upper()
        given = f" (got {problem['input']!r})" if "input" in problem and not isinstance(problem["input"], dict) else ""
        lines.append(f"  {variable}: {problem['msg']}{given}")
    return "\n".join(lines)
