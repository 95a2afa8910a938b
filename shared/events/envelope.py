"""The one envelope every event travels in."""

from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field

from shared.observability import current_correlation_id


class EventData(BaseModel):
    """Base of every event payload; `event_type` names its topic."""

    model_config = ConfigDict(extra="forbid")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1


DataT = TypeVar("DataT", bound=EventData)


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return uuid4().hex


class Envelope(BaseModel, Generic[DataT]):
    """id, type, version, time, account, subject (the aggregate id), correlation id, data."""

    id: str = Field(default_factory=_new_id)
    type: str
    version: int = 1
    time: datetime = Field(default_factory=_now)
    account_id: str
    subject: str
    correlation_id: str
    data: DataT

    @classmethod
    def wrap(cls, data: DataT, *, account_id: str, subject: str, correlation_id: str | None = None) -> Self:
        """Put `data` in an envelope keyed by `subject`, inheriting the current correlation id."""
        return cls(
            type=data.event_type,
            version=data.event_version,
            account_id=account_id,
            subject=subject,
            correlation_id=correlation_id or current_correlation_id() or _new_id(),
            data=data,
        )

    @property
    def topic(self) -> str:
        return self.type

    def to_document(self) -> dict[str, Any]:
        """The envelope as stored in an outbox (JSON-safe, dates as ISO strings)."""
        return self.model_dump(mode="json")
