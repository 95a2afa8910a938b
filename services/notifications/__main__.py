"""`python -m services.notifications` serves the notifications API (and runs its consumers) with uvicorn."""

import uvicorn

from services.notifications.bootstrap import create_app
from services.notifications.settings import NotificationsSettings
from shared.observability import configure_logging


def main() -> None:
    settings = NotificationsSettings()
    configure_logging("notifications", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
