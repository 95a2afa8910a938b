"""A bulk send scheduled for "9:00 in each recipient's own time": the send starts when the first place
reaches 9:00 and each text is held until 9:00 wherever its recipient may be (the zones the quiet
hours go by), then goes once; a time that has passed, is over a year ahead or is malformed is a 422."""

from datetime import UTC, date, datetime, time, timedelta

from services.messaging.domain.recipient_time import RecipientTime

from tests.messaging.conftest import phone, random_us_number
from tests.messaging.test_scheduled_sends import reaches
from tests.support.waiting import eventually

DAY = date(2027, 1, 5)  # a Tuesday, standard time: New York is UTC-5, Los Angeles UTC-8
NINE_IN_NEW_YORK = datetime(2027, 1, 5, 14, 0, tzinfo=UTC)
NINE_IN_LOS_ANGELES = datetime(2027, 1, 5, 17, 0, tzinfo=UTC)


def recipient_time_send(contact_ids: list[str], *, day: str = DAY.isoformat(), at: str = "09:00") -> dict:
    return {
        "bulk_send": {"body": "Doors open at 9", "contact_ids": contact_ids},
        "recipient_time": {"date": day, "local_time": at},
        "time_zone": "America/New_York",
    }


async def test_each_recipient_gets_the_text_at_nine_in_their_own_time_zone_once(messaging, account):
    await account.provision_number()
    new_york = await account.create_contact(phone("cell", e164=random_us_number(212)))
    los_angeles = await account.create_contact(phone("cell", e164=random_us_number(310)))
    messaging.clock.set(NINE_IN_NEW_YORK - timedelta(seconds=4))

    answer = await messaging.api.post(
        "/v1/scheduled-sends", json=recipient_time_send([new_york.contact_id, los_angeles.contact_id]), headers=account.headers
    )

    assert answer.status_code == 201, answer.text
    shown = answer.json()
    assert shown["recipient_time"] == {"date": "2027-01-05", "local_time": "09:00"}
    assert shown["local_send_at"] == "2027-01-05T09:00:00-05:00"
    # It starts at once: 9:00 came first at UTC+14, on 4 January at 19:00 UTC.
    assert RecipientTime(DAY, time(9)).earliest == datetime(2027, 1, 4, 19, 0, tzinfo=UTC)
    assert datetime.fromisoformat(shown["starts_at"]) == datetime.fromisoformat(shown["created_at"])
    created = await messaging.events.wait_for(account.account_id, "scheduled_send.created")
    assert created[0]["data"]["recipient_time"] == {"date": "2027-01-05", "local_time": "09:00"}
    started = await reaches(messaging, account.headers, shown["scheduled_send_id"], "started")
    messages = await _messages_of_job(account, started["bulk_job_id"])
    by_contact = {message["contact_id"]: message for message in messages}

    east = await account.message_reaches(by_contact[new_york.contact_id]["message_id"], "delivered", timeout=30)
    west = await account.message(by_contact[los_angeles.contact_id]["message_id"])
    assert west["status"] == "scheduled" and west["hold_reason"] == "recipient_time"
    assert datetime.fromisoformat(west["release_at"]) == NINE_IN_LOS_ANGELES and west["hold_zone"] == "America/Los_Angeles"
    assert messaging.clock() >= NINE_IN_NEW_YORK  # it waited for 9:00 in New York
    assert len(await messaging.carrier_log(new_york.phones[0].e164)) == 1
    assert await messaging.carrier_log(los_angeles.phones[0].e164) == []

    messaging.clock.set(NINE_IN_LOS_ANGELES - timedelta(seconds=2))
    await account.message_reaches(west["message_id"], "delivered", timeout=30)
    assert messaging.clock() >= NINE_IN_LOS_ANGELES
    assert len(await messaging.carrier_log(los_angeles.phones[0].e164)) == 1
    assert len(await messaging.carrier_log(new_york.phones[0].e164)) == 1
    east_again = await account.message(east["message_id"])
    assert east_again["status"] == "delivered"


async def _messages_of_job(account, job_id: str) -> list[dict]:
    """The job's messages, as the threads show them."""
    async def enqueued():
        found = {e["data"]["message_id"] for e in account.harness.events.of(account.account_id, "message.send_requested")
                 if e["data"].get("bulk_job_id") == job_id}
        return found if len(found) >= 2 else None

    requested = await eventually(enqueued, timeout=20, what="the bulk send's two texts requested")
    return [await account.message(message_id) for message_id in requested]


async def test_a_recipient_time_that_has_passed_is_too_far_ahead_or_malformed_is_refused_and_nothing_is_written(messaging, account):
    contact = await account.create_contact(phone("cell"))
    messaging.clock.set(NINE_IN_NEW_YORK + timedelta(minutes=1))
    ids = [contact.contact_id]
    cases = {
        "has passed": recipient_time_send(ids),  # 9:00 in New York, the sender's zone, a minute ago
        "a year ahead": recipient_time_send(ids, day=(DAY + timedelta(days=367)).isoformat()),
        "9am": recipient_time_send(ids, at="9am"),
        "24:00": recipient_time_send(ids, at="24:00"),
        "30 February": recipient_time_send(ids, day="2027-02-30"),
        "both times": {**recipient_time_send(ids), "send_at": "2027-01-06T09:00:00"},
        "a text": {"text": {"contact_id": contact.contact_id, "body": "Hi"}, "recipient_time": {"date": "2027-01-06", "local_time": "09:00"},
                   "time_zone": "America/New_York"},
    }
    for case, payload in cases.items():
        answer = await messaging.api.post("/v1/scheduled-sends", json=payload, headers=account.headers)
        assert answer.status_code == 422, (case, answer.text)
        assert answer.json()["errors"], (case, answer.text)
    problems = {
        case: (await messaging.api.post("/v1/scheduled-sends", json=cases[case], headers=account.headers)).json()["errors"][0]
        for case in ("has passed", "a year ahead")
    }
    assert problems["has passed"]["field"] == "recipient_time" and "has passed" in problems["has passed"]["problem"]
    assert problems["a year ahead"]["field"] == "recipient_time" and "a year ahead" in problems["a year ahead"]["problem"]
    assert (await account.get("/v1/scheduled-sends")).json()["scheduled_sends"] == []
    assert messaging.events.of(account.account_id, "scheduled_send.created") == []
