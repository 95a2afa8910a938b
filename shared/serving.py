"""Serving one service's HTTP app with uvicorn, in a process that ends within its grace period."""

import signal
from types import FrameType

import uvicorn
from fastapi import FastAPI

from shared.exit_deadline import arm_exit_deadline


class _ServerWithDeadline(uvicorn.Server):
    """Uvicorn's server, which starts the exit deadline as soon as it is told to stop."""

    def __init__(self, config: uvicorn.Config, grace_seconds: float) -> None:
        super().__init__(config)
        self.grace_seconds = grace_seconds

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig in (signal.SIGINT, signal.SIGTERM):
            arm_exit_deadline(self.grace_seconds)
        super().handle_exit(sig, frame)


def serve(app: FastAPI, *, host: str, port: int, grace_seconds: float) -> None:
    """Serve `app` until SIGINT or SIGTERM; open requests then get the grace period to finish."""
    config = uvicorn.Config(app, host=host, port=port, log_config=None,
                            timeout_graceful_shutdown=round(grace_seconds))
    _ServerWithDeadline(config, grace_seconds).run()
