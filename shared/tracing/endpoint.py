"""What an OTLP traces endpoint in settings may be."""

from urllib.parse import urlsplit

EXAMPLE = "http://collector:4318/v1/traces"
MAX_LENGTH = 2048


def otlp_endpoint(value: str | None) -> str:
    """An http(s) URL with a host (and a port in range, if any); blank means tracing is off."""
    if value is None or not value.strip():
        return ""
    value = value.strip()
    if not _well_formed(value):
        raise ValueError(f"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL such as {EXAMPLE}, not {value[:100]!r}")
    return value


def _well_formed(value: str) -> bool:
    if len(value) > MAX_LENGTH or any(char.isspace() for char in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # raises ValueError when the port is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.netloc.endswith(":")
