"""`python -m services.contacts` runs the contacts HTTP service with its consumers and relay."""

import uvicorn

from services.contacts.bootstrap import create_app
from services.contacts.settings import ContactsSettings
from shared.observability import configure_logging


def main() -> None:
    settings = ContactsSettings()
    configure_logging("contacts", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
