"""`python -m services.sandbox_carrier`: serve the sandbox carrier on CARRIER_HOST:CARRIER_PORT."""

import uvicorn

from .app import create_app
from .config import Settings


def main() -> None:
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, timeout_graceful_shutdown=5,
                access_log=settings.access_log)


if __name__ == "__main__":
    main()
