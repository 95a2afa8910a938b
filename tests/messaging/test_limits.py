"""Per-account limits on paid sending, each refusal a 429 (409 for a duplicate) naming the limit and
when it resets, each visible in GET /v1/messages/limits. The findings: 100 texts to one person in
4 s all delivered, 10 bulk sends to everyone in 1.2 s all accepted."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from tests.messaging.conftest import phone
from tests.messaging.test_bulk import _bulk, _job_reaches
from tests.support.waiting import eventually


async def _with_limits(messaging, account, **limits) -> None:
    """The account's own limits, as the platform's operators set them in its texting settings."""
    await messaging.store.save_account_settings(account.account_id, {"limits": limits})


async def _limits(account) -> dict:
    answer = await account.get("/v1/messages/limits")
    assert answer.status_code == 200, answer.text
    return answer.json()


def _refusal(answer, status: int, limit: str) -> dict:
    assert answer.status_code == status, answer.text
    refused = answer.json()
    assert refused["limit"] == limit and refused["detail"], refused
    return refused


async def _clear_of_a_minute_boundary() -> None:
    """A per-minute count must not straddle two windows."""
    second = datetime.now(UTC).second
    if second >= 50:
        await asyncio.sleep(61 - second)


async def test_a_burst_of_texts_to_one_person_stops_at_the_recipient_limit_until_they_reply(messaging, account):
    """Spoke's "Enter held down sent 20 texts": 20 sends at once to one person, 5 go."""
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)

    answers = await asyncio.gather(*(account.send(contact.contact_id, f"Text number {n}") for n in range(20)))

    accepted = [answer for answer in answers if answer.status_code == 202]
    assert len(accepted) == 5, [answer.text for answer in answers]
    refused = _refusal(next(answer for answer in answers if answer.status_code != 202), 429, "texts_per_recipient")
    assert datetime.fromisoformat(refused["resets_at"]) > datetime.now(UTC)
    assert "with no reply" in refused["detail"]
    for answer in accepted:
        await account.message_reaches(answer.json()["messages"][0]["message_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 5

    reply = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": f"SM{uuid4().hex}", "From": cell.e164, "To": our_number, "Body": "Who is this?"})
    assert reply.status_code == 200, reply.text

    after_reply = await account.send(contact.contact_id, "Sorry for all the texts, this is the campaign")
    assert after_reply.status_code == 202, after_reply.text


async def test_the_same_text_to_the_same_person_again_needs_confirmation(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    assert (await account.send(contact.contact_id, "Polls open at 7")).status_code == 202

    again = await account.send(contact.contact_id, "Polls open at 7")
    confirmed = await account.send(contact.contact_id, "Polls open at 7", confirm_duplicate=True)

    refused = _refusal(again, 409, "duplicate_content")
    assert "confirm_duplicate" in refused["detail"]
    assert datetime.fromisoformat(refused["resets_at"]) > datetime.now(UTC) + timedelta(minutes=9)
    assert confirmed.status_code == 202, confirmed.text
    await account.message_reaches(confirmed.json()["messages"][0]["message_id"], "delivered")
    assert [entry["body"] for entry in await messaging.carrier_log(cell.e164)] == ["Polls open at 7", "Polls open at 7"]


async def test_texts_one_at_a_time_stop_at_the_accounts_limit_per_minute(messaging, account):
    await account.provision_number()
    await _with_limits(messaging, account, texts_per_minute=3)
    contacts = [await account.create_contact(phone("cell")) for _ in range(4)]
    await _clear_of_a_minute_boundary()

    answers = [await account.send(contact.contact_id, "One at a time") for contact in contacts]

    assert [answer.status_code for answer in answers[:3]] == [202, 202, 202]
    refused = _refusal(answers[3], 429, "texts_per_minute")
    resets_at = datetime.fromisoformat(refused["resets_at"])
    assert resets_at.second == 0 and timedelta(0) < resets_at - datetime.now(UTC) <= timedelta(minutes=1)
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60
    shown = (await _limits(account))["texts_per_minute"]
    assert (shown["limit"], shown["used"], shown["remaining"]) == (3, 3, 0)
    assert await messaging.carrier_log(contacts[3].phones[0].e164) == []


async def test_the_day_quota_skips_bulk_texts_beyond_it_at_send_time_and_refuses_new_sends(messaging, account):
    await account.provision_number()
    await _with_limits(messaging, account, texts_per_day=4)
    contacts = [await account.create_contact(phone("cell")) for _ in range(6)]

    accepted = await _bulk(account, body="Six texts, four allowed", contact_ids=[c.contact_id for c in contacts])

    assert accepted.status_code == 202, accepted.text
    job = await _job_reaches(account, accepted.json()["job_id"], "completed", sent=4)
    assert job["skipped"] == {"daily_limit": 2}
    texted = [contact for contact in contacts if await messaging.carrier_log(contact.phones[0].e164)]
    assert len(texted) == 4
    one_more = await account.send(contacts[0].contact_id, "One more today")
    another_bulk = await _bulk(account, body="Another bulk today", contact_ids=[contacts[0].contact_id])
    for refused in (_refusal(one_more, 429, "texts_per_day"), _refusal(another_bulk, 429, "texts_per_day")):
        assert datetime.fromisoformat(refused["resets_at"]) == datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    shown = (await _limits(account))["texts_per_day"]
    assert (shown["limit"], shown["used"], shown["remaining"]) == (4, 4, 0)


async def test_bulk_sends_at_once_stop_at_the_accounts_cap_and_a_cancel_frees_a_slot(messaging, account):
    """Ten bulk sends to everyone at once: two go (the account's cap here), eight are refused."""
    await _with_limits(messaging, account, concurrent_bulk_sends=2)
    contacts = [await account.create_contact(phone("cell")) for _ in range(3)]
    ids = [contact.contact_id for contact in contacts]  # no texting number yet: the texts wait, the jobs keep going

    answers = await asyncio.gather(*(_bulk(account, body=f"Bulk send {n}", contact_ids=ids) for n in range(10)))

    accepted = [answer.json() for answer in answers if answer.status_code == 202]
    assert len(accepted) == 2, [answer.text for answer in answers]
    refused = _refusal(next(answer for answer in answers if answer.status_code != 202), 429, "concurrent_bulk_sends")
    assert refused["allowed"] == 2 and refused["resets_at"] is None
    shown = (await _limits(account))["concurrent_bulk_sends"]
    assert (shown["limit"], shown["used"], sorted(shown["running"])) == (2, 2, sorted(job["job_id"] for job in accepted))

    await account.harness.api.post(f"/v1/bulk-sends/{accepted[0]['job_id']}/cancel", headers=account.headers)
    started = await _bulk(account, body="Bulk send after a cancel", contact_ids=ids)

    assert started.status_code == 202, started.text


async def test_the_same_bulk_send_again_needs_confirmation(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    first = await _bulk(account, body="Doors open at 6", contact_ids=[contact.contact_id])
    assert first.status_code == 202, first.text

    again = await _bulk(account, body="Doors open at 6", contact_ids=[contact.contact_id])
    confirmed = await _bulk(account, body="Doors open at 6", contact_ids=[contact.contact_id], confirm_duplicate=True)

    _refusal(again, 409, "duplicate_content")
    assert confirmed.status_code == 202, confirmed.text
    await _job_reaches(account, confirmed.json()["job_id"], "completed", sent=1)
    await eventually(lambda: _count(messaging, contact.phones[0].e164, 2), what="both texts at the carrier")


async def _count(messaging, e164: str, wanted: int):
    return len(await messaging.carrier_log(e164)) == wanted or None


async def test_the_limits_and_their_use_are_readable_with_the_platforms_defaults(messaging, account):
    settings = messaging.settings
    shown = await _limits(account)

    assert shown["texts_per_minute"]["limit"] == settings.texts_per_minute
    assert shown["texts_per_day"] == {
        "limit": settings.texts_per_day, "used": 0, "remaining": settings.texts_per_day,
        "resets_at": shown["texts_per_day"]["resets_at"],
    }
    assert shown["concurrent_bulk_sends"] == {"limit": settings.concurrent_bulk_sends, "used": 0, "running": []}
    assert shown["duplicate_window_minutes"] == settings.duplicate_window_minutes
    assert shown["per_recipient"] == {"max_texts": settings.recipient_max_texts, "window_minutes": settings.recipient_window_minutes}
