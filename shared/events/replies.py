"""Events about what people's replies mean for consent: revocations, and review items a texter decides."""

from datetime import datetime
from typing import ClassVar, Literal

from shared import topics
from shared.events.envelope import EventData

ReviewKind = Literal["revocation", "wrong_number"]
ReviewDecision = Literal["opt_out", "not_opt_out", "wrong_number", "not_wrong_number"]


class RevocationDetected(EventData):
    """A reply revoked consent (an opt-out keyword, or the same in other words): the phone is opted out."""

    event_type: ClassVar[str] = topics.REVOCATION_DETECTED
    message_id: str
    conversation_id: str
    contact_id: str | None = None
    phone_id: str | None = None
    user_id: str
    from_number: str
    to_number: str
    reply_class: Literal["opt_out_keyword", "revocation"]
    matched: str | None = None


class ReviewItemRaised(EventData):
    """A reply a texter should judge: maybe a revocation (sending to the phone waits until the
    decision or the deadline, when the opt-out applies), or a wrong-number reply."""

    event_type: ClassVar[str] = topics.REVIEW_ITEM_RAISED
    review_item_id: str
    kind: ReviewKind
    message_id: str
    conversation_id: str
    contact_id: str | None = None
    phone_id: str | None = None
    user_id: str
    their_number: str
    body: str
    matched: str | None = None
    deadline: datetime | None = None


class ReviewItemDecided(EventData):
    """A texter decided a review item, or its deadline passed (`decided_by` "deadline": the opt-out applies)."""

    event_type: ClassVar[str] = topics.REVIEW_ITEM_DECIDED
    review_item_id: str
    kind: ReviewKind
    decision: ReviewDecision
    decided_by: Literal["user", "deadline"]
    user_id: str | None = None
    conversation_id: str
    contact_id: str | None = None
    phone_id: str | None = None
    their_number: str
