"""Events become portal notifications (once each), the new number also an email, and each
user reads only their own."""

import base64
from datetime import UTC, datetime

import pytest

from services.notifications.service_layer import inbox

from tests.notifications.builders import (
    message_failed,
    message_received,
    new_id,
    number_provisioned,
    number_purchase_failed,
    registration_updated,
    sign_up_attempted,
    user_created,
)
from tests.support.kafka import produce
from tests.support.waiting import eventually


async def notifications_of(harness, account_id, user_id, *, count: int = 1, **params) -> list[dict]:
    async def probe():
        items = (await harness.inbox(account_id, user_id, **params))["items"]
        return items if len(items) >= count else None

    return await eventually(probe, timeout=20, what=f"{count} notification(s) for {user_id}")


async def test_a_reply_becomes_a_notification_and_an_event(notifications, account_id):
    user_id = new_id("user")
    received = message_received(account_id, user_id, body="Yes, count me in!", from_number="+15125550147")
    await produce(notifications.kafka, received)

    [item] = await notifications_of(notifications, account_id, user_id)

    assert item["kind"] == "message_received"
    assert item["title"] == "New text from (512) 555-0147"
    assert item["body"] == "Yes, count me in!"
    assert item["link"]["conversation_id"] == received.data.conversation_id
    assert item["link"]["message_id"] == received.data.message_id
    assert item["read"] is False and item["read_at"] is None

    async def published():
        return notifications.events.of("notification.created", account_id)

    [event] = await eventually(published, what="notification.created")
    assert event["subject"] == user_id
    assert event["data"]["notification_id"] == item["notification_id"]
    assert event["data"]["title"] == item["title"]


async def test_a_redelivered_event_makes_one_notification(notifications, account_id):
    user_id = new_id("user")
    first = message_received(account_id, user_id)
    # The later event shares the key (conversation), so once it is handled the copy was too.
    later = message_received(account_id, user_id, body="later", conversation_id=first.data.conversation_id)
    await produce(notifications.kafka, first, first, first, later)

    items = await notifications_of(notifications, account_id, user_id, count=2)

    assert [item["body"] for item in items] == ["later", first.data.body]
    count = await notifications.http.get("/v1/notifications/unread-count", headers=notifications.headers(account_id, user_id))
    assert count.json() == {"unread": 2}


async def test_a_reply_to_no_user_notifies_nobody(notifications, account_id):
    user_id = new_id("user")
    orphan = message_received(account_id, None)
    # Same key: handled before this one.
    after = message_received(account_id, user_id, conversation_id=orphan.data.conversation_id)
    await produce(notifications.kafka, orphan, after)
    await notifications_of(notifications, account_id, user_id)
    documents = await notifications.service.runtime.db["notifications"].count_documents({"account_id": account_id})
    assert documents == 1


async def test_a_new_number_is_announced_in_the_portal_and_by_email(notifications, account_id):
    user = user_created(account_id, name="Ana Ortiz")
    user_id = user.data.user.user_id
    await produce(notifications.kafka, user)
    await eventually(lambda: notifications.service.ports.users.get(account_id, user_id), what="user read model")
    await produce(notifications.kafka, number_provisioned(account_id, user_id, phone_number="+15124440123"))

    [item] = await notifications_of(notifications, account_id, user_id)
    assert item["kind"] == "number_provisioned"
    assert item["title"] == "Your texting number is +1 512-444-0123"
    assert "no fee" in item["body"]

    [mail] = await eventually(lambda: _async(notifications.mailbox.to(user.data.user.email)), what="email")
    assert mail["Subject"] == "Your texting number is +1 512-444-0123"
    assert "+15124440123" in mail.get_content() and "Hello Ana Ortiz" in mail.get_content()
    log = await eventually(lambda: _email_sent(notifications, account_id), what="email logged as sent")
    assert log["to"] == user.data.user.email and log["error"] is None


async def test_an_email_waits_for_a_user_not_known_yet(notifications, account_id):
    user = user_created(account_id)
    user_id = user.data.user.user_id
    await produce(notifications.kafka, number_provisioned(account_id, user_id, phone_number="+12124440123"))
    await notifications_of(notifications, account_id, user_id)
    emails = notifications.service.runtime.db["emails"]
    waiting = await eventually(lambda: emails.find_one({"account_id": account_id}), what="email logged")
    assert waiting["status"] == "waiting_for_address" and waiting["to"] is None

    await produce(notifications.kafka, user)

    [mail] = await eventually(lambda: _async(notifications.mailbox.to(user.data.user.email)), what="email")
    assert "+12124440123" in mail.get_content()


async def test_a_failed_text_is_reported_to_its_sender(notifications, account_id):
    user_id = new_id("user")
    await produce(notifications.kafka, message_failed(account_id, user_id, reason="Attempt to send to unsubscribed recipient"))
    [item] = await notifications_of(notifications, account_id, user_id)
    assert item["kind"] == "message_failed"
    assert item["title"] == "Text to (212) 555-0182 failed"
    assert "unsubscribed recipient (error 21610)" in item["body"]


async def test_a_failed_number_purchase_tells_the_user_what_happens_next(notifications, account_id):
    user_id = new_id("user")
    await produce(notifications.kafka, number_purchase_failed(account_id, user_id, will_retry=True))
    [item] = await notifications_of(notifications, account_id, user_id)
    assert (item["kind"], item["title"]) == ("number_purchase_failed", "We could not get your texting number yet")
    assert "no local numbers available" in item["body"] and "try again at 15:30 UTC" in item["body"]

    await produce(notifications.kafka, number_purchase_failed(account_id, user_id, will_retry=False))
    items = await notifications_of(notifications, account_id, user_id, count=2)
    assert any("stopped trying" in item["body"] for item in items)


async def test_registration_news_goes_to_the_accounts_owners(notifications, account_id):
    owner = user_created(account_id, role="owner")
    texter = user_created(account_id, role="texter")
    await produce(notifications.kafka, owner, texter)
    for user in (owner, texter):
        await eventually(lambda: notifications.service.ports.users.get(account_id, user.data.user.user_id), what="user")
    await produce(notifications.kafka, registration_updated(account_id, state="failed", reason="brand not verified"))

    [item] = await notifications_of(notifications, account_id, owner.data.user.user_id)
    assert item["title"] == "Texting registration failed"
    assert "brand not verified" in item["body"]
    # The texter's inbox stays empty: everything for this account so far went to the owner.
    assert await notifications.service.runtime.db["notifications"].count_documents({"account_id": account_id}) == 1
    assert (await notifications.inbox(account_id, texter.data.user.user_id))["items"] == []


async def test_read_state_paging_and_counts(notifications, account_id):
    user_id = new_id("user")
    conversation = new_id("conv")
    sent = [message_received(account_id, user_id, body=f"reply {n}", conversation_id=conversation) for n in range(3)]
    await produce(notifications.kafka, *sent)
    items = await notifications_of(notifications, account_id, user_id, count=3)
    assert [item["body"] for item in items] == ["reply 2", "reply 1", "reply 0"]
    headers = notifications.headers(account_id, user_id)

    first_page = await notifications.inbox(account_id, user_id, limit=2)
    second_page = await notifications.inbox(account_id, user_id, limit=2, cursor=first_page["next_cursor"])
    assert [i["body"] for i in first_page["items"]] == ["reply 2", "reply 1"]
    assert [i["body"] for i in second_page["items"]] == ["reply 0"] and second_page["next_cursor"] is None

    read = await notifications.http.post(f"/v1/notifications/{items[1]['notification_id']}/read", headers=headers)
    assert read.status_code == 200 and read.json()["read"] is True and read.json()["read_at"]
    unread = await notifications.inbox(account_id, user_id, unread="true")
    assert [i["body"] for i in unread["items"]] == ["reply 2", "reply 0"]
    assert (await notifications.http.get("/v1/notifications/unread-count", headers=headers)).json() == {"unread": 2}

    read_all = await notifications.http.post("/v1/notifications/read-all", headers=headers)
    assert read_all.json() == {"marked_read": 2}
    assert (await notifications.http.get("/v1/notifications/unread-count", headers=headers)).json() == {"unread": 0}


async def test_nobody_else_sees_or_marks_a_users_notifications(notifications, account_id):
    user_id = new_id("user")
    await produce(notifications.kafka, message_received(account_id, user_id))
    [item] = await notifications_of(notifications, account_id, user_id)
    path = f"/v1/notifications/{item['notification_id']}/read"

    colleague = notifications.headers(account_id, new_id("user"), role="owner")
    other_account = notifications.headers(f"other-{account_id}", user_id)
    for headers in (colleague, other_account):
        assert (await notifications.http.get("/v1/notifications", headers=headers)).json()["items"] == []
        assert (await notifications.http.post(path, headers=headers)).status_code == 404
        assert (await notifications.http.post("/v1/notifications/read-all", headers=headers)).json() == {"marked_read": 0}
    assert (await notifications.inbox(account_id, user_id))["items"][0]["read"] is False


async def test_bad_requests_say_what_was_wrong(notifications, account_id):
    headers = notifications.headers(account_id, new_id("user"))
    bad_cursor = await notifications.http.get("/v1/notifications", params={"cursor": "nonsense"}, headers=headers)
    assert bad_cursor.status_code == 422 and bad_cursor.json()["errors"][0]["field"] == "query.cursor"
    bad_limit = await notifications.http.get("/v1/notifications", params={"limit": 0}, headers=headers)
    assert bad_limit.status_code == 422 and bad_limit.json()["errors"][0]["field"] == "query.limit"
    assert (await notifications.http.get("/v1/notifications")).status_code == 401


async def _async(value):
    return value


async def _email_sent(harness, account_id):
    return await harness.service.runtime.db["emails"].find_one({"account_id": account_id, "status": "sent"})


async def test_a_cursor_of_nested_brackets_is_a_422_not_a_crash(notifications, account_id):
    headers = notifications.headers(account_id, new_id("user"))
    for nested in ("[" * 5000, "[" * 120, '{"t": [' * 20):
        cursor = base64.urlsafe_b64encode(nested.encode()).decode().rstrip("=")
        response = await notifications.http.get("/v1/notifications", params={"cursor": cursor}, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "query.cursor"
    for not_an_object in ("[]", '"t"', "7"):
        cursor = base64.urlsafe_b64encode(not_an_object.encode()).decode()
        response = await notifications.http.get("/v1/notifications", params={"cursor": cursor}, headers=headers)
        assert response.status_code == 422, (not_an_object, response.text)


def test_a_cursor_nested_past_the_parser_stack_is_refused_as_invalid():
    cursor = base64.urlsafe_b64encode(b"[" * 100_000).decode()
    with pytest.raises(inbox.InvalidCursor):
        inbox.decode_cursor(cursor)


async def test_a_sign_up_with_a_registered_email_tells_its_user_that_nothing_changed(notifications, account_id):
    user_id = new_id("user")
    await produce(notifications.kafka, sign_up_attempted(account_id, user_id, at=datetime(2026, 12, 7, 14, 30, tzinfo=UTC)))

    [item] = await notifications_of(notifications, account_id, user_id)

    assert item["kind"] == "sign_up_attempted"
    assert item["title"] == "Someone tried to sign up with your email"
    assert "2026-12-07 14:30 UTC" in item["body"] and "your password are as they were" in item["body"]
