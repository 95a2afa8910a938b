"""FastAPI dependencies the messaging routes share."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from services.messaging.adapters.store import MessagingStore
from services.messaging.service_layer.clock import Clock


def _store(request: Request) -> MessagingStore:
    return request.app.state.store


StoreDep = Annotated[MessagingStore, Depends(_store)]


def clock_of(request: Request) -> Clock:
    """The time the texting rules go by (the tests' movable clock in tests)."""
    return request.app.state.clock


def invalid(field: str, problem: str) -> JSONResponse:
    """A 422 naming the one field that was wrong."""
    return JSONResponse(status_code=422, content={"detail": "invalid request", "errors": [{"field": field, "problem": problem}]})
