"""What a notification says, decided from the event that caused it."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers

from shared.events import MessageFailed, MessageReceived, NumberProvisioned, NumberPurchaseFailed, RegistrationUpdated, UserSignUpAttempted

PREVIEW_LENGTH = 140
_NAMESPACE = uuid.UUID("6f1c3c5e-52c4-4a4a-9b53-3f1f0e7f5a10")


@dataclass(frozen=True)
class NotificationDraft:
    kind: str
    title: str
    body: str
    link: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    notification_id: str
    account_id: str
    user_id: str
    kind: str
    title: str
    body: str
    link: dict[str, str]
    created_at: datetime
    read_at: datetime | None
    source_event_id: str | None = None


@dataclass(frozen=True)
class EmailDraft:
    subject: str
    body: str


def notification_id_for(source_event_id: str, user_id: str) -> str:
    """The same event for the same user always makes the same id, so redelivery is a no-op."""
    return uuid.uuid5(_NAMESPACE, f"{source_event_id}:{user_id}").hex


def email_id_for(source_event_id: str, user_id: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"email:{source_event_id}:{user_id}").hex


def display_number(e164: str) -> str:
    """'(512) 555-0142' for US numbers, international format otherwise, the text itself if unparsable."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    style = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def international_number(e164: str) -> str:
    """'+1 512-555-0142'."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def preview(text: str, length: int = PREVIEW_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def message_received(event: MessageReceived) -> NotificationDraft:
    link = {"conversation_id": event.conversation_id, "message_id": event.message_id}
    if event.contact_id:
        link["contact_id"] = event.contact_id
    return NotificationDraft(
        kind="message_received",
        title=f"New text from {display_number(event.from_number)}",
        body=preview(event.body) or "(empty message)",
        link=link,
    )


def message_failed(event: MessageFailed) -> NotificationDraft:
    reason = event.reason + (f" (error {event.error_code})" if event.error_code else "")
    return NotificationDraft(
        kind="message_failed",
        title=f"Text to {display_number(event.to_number)} failed",
        body=f"Text to {display_number(event.to_number)} failed: {reason}",
        link={"conversation_id": event.conversation_id, "message_id": event.message_id, "contact_id": event.contact_id},
    )


NUMBER_EXPLANATION = (
    "Texts you send from the CRM come from this number, and calls to it ring your primary cell phone. "
    "It adds no fee to your account: this message only lets you know your number."
)


def sign_up_attempted(event: UserSignUpAttempted) -> NotificationDraft:
    return NotificationDraft(
        kind="sign_up_attempted",
        title="Someone tried to sign up with your email",
        body=(
            f"At {event.attempted_at:%Y-%m-%d %H:%M} UTC someone signed up with your email. Nothing changed: your account "
            "and your password are as they were. If it was you, sign in with your password; if not, nothing needs doing."
        ),
    )


def number_provisioned(event: NumberProvisioned) -> NotificationDraft:
    return NotificationDraft(
        kind="number_provisioned",
        title=f"Your texting number is {international_number(event.phone_number)}",
        body=NUMBER_EXPLANATION,
        link={"number_id": event.number_id, "phone_number": event.phone_number},
    )


def number_provisioned_email(event: NumberProvisioned, *, name: str) -> EmailDraft:
    number = international_number(event.phone_number)
    return EmailDraft(
        subject=f"Your texting number is {number}",
        body=(
            f"Hello {name},\n\n"
            f"Your texting number is {number} ({event.phone_number}).\n\n"
            f"{NUMBER_EXPLANATION}\n"
        ),
    )


def number_purchase_failed(event: NumberPurchaseFailed) -> NotificationDraft:
    if event.will_retry:
        when = f" at {event.next_attempt_at:%H:%M} UTC" if event.next_attempt_at else " shortly"
        follow_up = f"We will try again{when}; your texts wait and go out once you have a number."
    else:
        follow_up = "We stopped trying: ask your account's admin to check the account's numbers."
    return NotificationDraft(
        kind="number_purchase_failed",
        title="We could not get your texting number yet",
        body=f"Buying your number failed ({event.reason}). {follow_up}",
        link={"user_id": event.user_id},
    )


_REGISTRATION_TITLES = {
    "draft": "Texting registration started",
    "submitted": "Texting registration submitted",
    "in_review": "Texting registration is in review",
    "approved": "Texting registration approved",
    "failed": "Texting registration failed",
}

_REGISTRATION_BODIES = {
    "draft": "Your account's A2P 10DLC registration has been started.",
    "submitted": "Your account's A2P 10DLC registration was sent to the carriers.",
    "in_review": "The carriers are reviewing your account's A2P 10DLC registration.",
    "approved": "Your account is registered for A2P 10DLC: texts are delivered at full rate.",
    "failed": "Your account's A2P 10DLC registration was refused. Texts still go out, but deliverability suffers.",
}


def registration_updated(event: RegistrationUpdated) -> NotificationDraft:
    body = _REGISTRATION_BODIES[event.state] + (f" Reason: {event.reason}" if event.reason else "")
    return NotificationDraft(
        kind="registration_updated",
        title=_REGISTRATION_TITLES[event.state],
        body=body,
        link={"registration_id": event.registration_id, "state": event.state},
    )
