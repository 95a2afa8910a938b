"""`python -m services.numbers` serves the numbers API (and runs its consumers) with uvicorn."""

import uvicorn

from services.numbers.bootstrap import create_app
from services.numbers.settings import NumbersSettings
from shared.observability import configure_logging


def main() -> None:
    settings = NumbersSettings()
    configure_logging("numbers", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
