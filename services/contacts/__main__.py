"""`python -m services.contacts` runs the contacts HTTP service with its consumers and relay."""

from services.contacts.bootstrap import create_app
from services.contacts.settings import ContactsSettings
from shared.observability import configure_logging
from shared.serving import serve
from shared.settings import load_settings
from shared.tracing import start_tracing


def main() -> None:
    settings = load_settings(ContactsSettings)
    configure_logging("contacts", settings.log_level)
    start_tracing("contacts", settings.otlp_traces_endpoint)
    serve(create_app(settings), host=settings.http_host, port=settings.http_port,
          grace_seconds=settings.shutdown_grace_seconds)


if __name__ == "__main__":
    main()
