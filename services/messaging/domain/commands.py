"""What callers ask the messaging service to do."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SendText:
    account_id: str
    user_id: str
    contact_id: str
    body: str
    idempotency_key: str | None = None
    canned_reply_id: str | None = None  # the body is this reply's unless `body` is given
    confirm_duplicate: bool = False
    media_ids: tuple[str, ...] = ()  # uploaded images: the text goes as an MMS


@dataclass(frozen=True)
class RecordStatusCallback:
    carrier_sid: str
    carrier_status: str
    error_code: int | None = None


@dataclass(frozen=True)
class ReceiveText:
    carrier_sid: str
    from_number: str
    to_number: str
    body: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MarkConversationRead:
    account_id: str
    user_id: str
    conversation_id: str


@dataclass(frozen=True)
class DecideReviewItem:
    account_id: str
    user_id: str
    conversation_id: str
    review_item_id: str
    decision: str
