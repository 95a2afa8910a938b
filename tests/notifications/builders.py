"""Test data: the events other services publish, as they would publish them."""

import uuid
from datetime import UTC, datetime

from shared.events import (
    Envelope,
    MessageFailed,
    MessageReceived,
    NumberProvisioned,
    NumberPurchaseFailed,
    RegistrationUpdated,
    UserCreated,
    UserSignUpAttempted,
    UserSnapshot,
)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def user_created(account_id: str, *, role: str = "texter", name: str = "Dana Texter", user_id: str | None = None) -> Envelope:
    user_id = user_id or new_id("user")
    snapshot = UserSnapshot(user_id=user_id, email=f"{user_id}@example.org", name=name, role=role)
    return Envelope.wrap(UserCreated(user=snapshot), account_id=account_id, subject=user_id)


def sign_up_attempted(account_id: str, user_id: str, *, at: datetime) -> Envelope:
    return Envelope.wrap(UserSignUpAttempted(user_id=user_id, attempted_at=at), account_id=account_id, subject=user_id)


def message_received(account_id: str, user_id: str | None, *, body: str = "Yes, count me in!",
                     from_number: str = "+15125550147", conversation_id: str | None = None) -> Envelope:
    conversation_id = conversation_id or new_id("conv")
    data = MessageReceived(
        message_id=new_id("msg"), conversation_id=conversation_id, contact_id=new_id("contact"), user_id=user_id,
        from_number=from_number, to_number="+15124440123", body=body, carrier_sid="SM" + uuid.uuid4().hex,
    )
    return Envelope.wrap(data, account_id=account_id, subject=conversation_id)


def message_failed(account_id: str, user_id: str, *, reason: str = "Attempt to send to unsubscribed recipient") -> Envelope:
    conversation_id = new_id("conv")
    data = MessageFailed(
        message_id=new_id("msg"), conversation_id=conversation_id, contact_id=new_id("contact"), user_id=user_id,
        to_number="+12125550182", reason=reason, error_code=21610,
    )
    return Envelope.wrap(data, account_id=account_id, subject=conversation_id)


def number_provisioned(account_id: str, user_id: str, *, phone_number: str = "+15124440123") -> Envelope:
    data = NumberProvisioned(
        number_id=new_id("number"), user_id=user_id, phone_number=phone_number, area_code=phone_number[2:5],
        selection_rule="area_code", carrier_sid="PN" + uuid.uuid4().hex,
    )
    return Envelope.wrap(data, account_id=account_id, subject=user_id)


def registration_updated(account_id: str, *, state: str = "approved", reason: str | None = None) -> Envelope:
    registration_id = new_id("reg")
    data = RegistrationUpdated(registration_id=registration_id, state=state, reason=reason)
    return Envelope.wrap(data, account_id=account_id, subject=registration_id)


def number_purchase_failed(account_id: str, user_id: str, *, will_retry: bool, reason: str = "no local numbers available") -> Envelope:
    data = NumberPurchaseFailed(
        user_id=user_id, reason=reason, attempts=1 if will_retry else 6, will_retry=will_retry,
        next_attempt_at=datetime(2026, 11, 29, 15, 30, tzinfo=UTC) if will_retry else None,
    )
    return Envelope.wrap(data, account_id=account_id, subject=user_id)
