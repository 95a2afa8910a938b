"""Handlers: turn events into notifications (and an email for a new number), once per event."""

import logging
from datetime import UTC, datetime

from services.notifications.domain import notifications as content
from services.notifications.domain.notifications import Notification, NotificationDraft, email_id_for, notification_id_for
from services.notifications.service_layer.ports import EmailNotSent, NotificationsPorts, UserRecord
from shared.events import (
    Envelope,
    MessageFailed,
    MessageReceived,
    NotificationCreated,
    NumberProvisioned,
    NumberPurchaseFailed,
    RegistrationUpdated,
    UserSignUpAttempted,
)

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


async def record_user(*, ports: NotificationsPorts, user: UserRecord, as_of: datetime) -> None:
    """Keep the newest snapshot of a user; send the emails that waited for their address."""
    await ports.users.save(user, as_of=as_of)
    if not user.email:
        return
    waiting = await ports.emails.address_waiting(account_id=user.account_id, user_id=user.user_id, to=user.email, now=_now())
    for email_id in waiting:
        await deliver_email(ports=ports, email_id=email_id)


async def notify_message_received(*, ports: NotificationsPorts, event: Envelope[MessageReceived]) -> None:
    """A reply came in: tell the user whose number it reached."""
    if not event.data.user_id:
        log.info("message %s reached no user; nobody to notify", event.data.message_id)
        return
    await create_notification(ports=ports, event=event, user_id=event.data.user_id, draft=content.message_received(event.data))


async def notify_message_failed(*, ports: NotificationsPorts, event: Envelope[MessageFailed]) -> None:
    """A text could not be sent: tell the user who sent it."""
    await create_notification(ports=ports, event=event, user_id=event.data.user_id, draft=content.message_failed(event.data))


async def notify_sign_up_attempted(*, ports: NotificationsPorts, event: Envelope[UserSignUpAttempted]) -> None:
    """Someone signed up with a registered user's email: tell that user."""
    await create_notification(ports=ports, event=event, user_id=event.data.user_id, draft=content.sign_up_attempted(event.data))


async def notify_number_provisioned(*, ports: NotificationsPorts, event: Envelope[NumberProvisioned]) -> None:
    """The user has their number: a portal notification and, when email is set up, an email."""
    user_id = event.data.user_id
    await create_notification(ports=ports, event=event, user_id=user_id, draft=content.number_provisioned(event.data))
    if ports.mailer is None:
        return
    user = await ports.users.get(event.account_id, user_id)
    email_id = email_id_for(event.id, user_id)
    await ports.emails.add(
        email_id=email_id,
        account_id=event.account_id,
        user_id=user_id,
        to=user.email if user and user.email else None,
        draft=content.number_provisioned_email(event.data, name=user.name if user else "there"),
        source_event_id=event.id,
        now=_now(),
    )
    await deliver_email(ports=ports, email_id=email_id)


async def notify_number_purchase_failed(*, ports: NotificationsPorts, event: Envelope[NumberPurchaseFailed]) -> None:
    """Buying the user's number failed: tell them, and whether another attempt is coming."""
    draft = content.number_purchase_failed(event.data)
    await create_notification(ports=ports, event=event, user_id=event.data.user_id, draft=draft)


async def notify_registration_updated(*, ports: NotificationsPorts, event: Envelope[RegistrationUpdated]) -> None:
    """The account's A2P 10DLC registration moved: tell the account's owners."""
    owners = await ports.users.owners(event.account_id)
    if not owners:
        log.info("registration %s of account %s: no owner known to notify", event.data.registration_id, event.account_id)
    draft = content.registration_updated(event.data)
    for owner in owners:
        await create_notification(ports=ports, event=event, user_id=owner.user_id, draft=draft)


async def create_notification(*, ports: NotificationsPorts, event: Envelope, user_id: str, draft: NotificationDraft) -> bool:
    """Store the notification and its notification.created event; a redelivered event changes nothing."""
    notification = Notification(
        notification_id=notification_id_for(event.id, user_id),
        account_id=event.account_id,
        user_id=user_id,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        link={key: value for key, value in draft.link.items() if value is not None},
        created_at=_now(),
        read_at=None,
        source_event_id=event.id,
    )
    created = NotificationCreated(
        notification_id=notification.notification_id,
        user_id=user_id,
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        link=notification.link,
    )
    added = await ports.notifications.add(
        notification, events=[Envelope.wrap(created, account_id=event.account_id, subject=user_id)]
    )
    if added:
        ports.notify_written()
    return added


async def deliver_email(*, ports: NotificationsPorts, email_id: str) -> None:
    """Send a pending email once and record how it went (sent, or failed with the error)."""
    if ports.mailer is None:
        return
    email = await ports.emails.claim(email_id, now=_now())
    if email is None:
        return
    try:
        await ports.mailer.send(to=email.to, subject=email.subject, body=email.body)
    except EmailNotSent as error:
        log.warning("email %s to %s failed: %s", email_id, email.to, error)
        await ports.emails.failed(email_id, error=str(error), now=_now())
        return
    await ports.emails.sent(email_id, now=_now())
