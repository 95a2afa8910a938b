"""Fast tests: what notifications say, idempotency, email delivery records, the SMTP adapter."""

from datetime import UTC, datetime

import pytest

from services.notifications.adapters.smtp import SmtpMailer
from services.notifications.domain import notifications as content
from services.notifications.service_layer import handlers
from services.notifications.service_layer.inbox import InvalidCursor, decode_cursor, encode_cursor
from services.notifications.service_layer.ports import EmailNotSent, UserRecord
from services.notifications.settings import NotificationsSettings
from tests.notifications.builders import message_received, number_provisioned, registration_updated
from tests.support.servers import free_port
from tests.notifications.fakes import FakeMailer, fake_ports

ANA = UserRecord("acct", "ana", "ana@example.org", "Ana", "owner", True)


def test_numbers_are_shown_the_way_people_read_them():
    assert content.display_number("+15125550147") == "(512) 555-0147"
    assert content.display_number("+442071838750") == "+44 20 7183 8750"
    assert content.display_number("not a number") == "not a number"
    assert content.international_number("+15124440123") == "+1 512-444-0123"


def test_previews_are_one_line_and_short():
    assert content.preview("hello\n  there") == "hello there"
    long = content.preview("word " * 100)
    assert len(long) == content.PREVIEW_LENGTH and long.endswith("…")


def test_the_same_event_and_user_always_make_the_same_notification_id():
    assert content.notification_id_for("e1", "u1") == content.notification_id_for("e1", "u1")
    assert content.notification_id_for("e1", "u1") != content.notification_id_for("e1", "u2")


def test_cursors_round_trip_and_garbage_is_refused():
    from services.notifications.domain.notifications import Notification

    note = Notification("n1", "a", "u", "k", "t", "b", {}, datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=UTC), None)
    assert decode_cursor(encode_cursor(note)) == (note.created_at, "n1")
    with pytest.raises(InvalidCursor):
        decode_cursor("nonsense")


async def test_a_redelivered_event_adds_nothing():
    ports = fake_ports()
    event = message_received("acct", "ana")
    await handlers.notify_message_received(ports=ports, event=event)
    await handlers.notify_message_received(ports=ports, event=event)
    assert len(ports.notifications.stored) == 1 and len(ports.notifications.events) == 1


async def test_registration_news_reaches_every_owner_once():
    bo = UserRecord("acct", "bo", "bo@example.org", "Bo", "owner", True)
    texter = UserRecord("acct", "cy", "cy@example.org", "Cy", "texter", True)
    ports = fake_ports(ANA, bo, texter)
    event = registration_updated("acct", state="approved")
    await handlers.notify_registration_updated(ports=ports, event=event)
    await handlers.notify_registration_updated(ports=ports, event=event)
    assert sorted(n.user_id for n in ports.notifications.stored.values()) == ["ana", "bo"]


async def test_a_refused_email_is_recorded_as_failed_with_the_error():
    ports = fake_ports(ANA, mailer=FakeMailer(refuse=True))
    await handlers.notify_number_provisioned(ports=ports, event=number_provisioned("acct", "ana"))
    [email] = ports.emails.emails.values()
    assert email.status == "failed" and "550" in email.error
    assert len(ports.notifications.stored) == 1  # the portal notification does not depend on email


async def test_without_email_configured_only_the_portal_is_notified():
    ports = fake_ports(ANA, mailer=None)
    await handlers.notify_number_provisioned(ports=ports, event=number_provisioned("acct", "ana"))
    assert ports.emails.emails == {} and len(ports.notifications.stored) == 1


async def test_the_smtp_mailer_reports_an_unreachable_server():
    settings = NotificationsSettings(_env_file=None, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout_seconds=2)
    with pytest.raises(EmailNotSent):
        await SmtpMailer(settings).send(to="ana@example.org", subject="s", body="b")
