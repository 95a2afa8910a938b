"""Status callbacks as the gateway records them: on Kafka, keyed by the carrier's message sid."""

import random

from shared import topics
from shared.events import CarrierStatusReported, Envelope
from tests.messaging.test_webhooks import _queued_text_with_held_callbacks


def _report(params: dict) -> Envelope:
    return Envelope.wrap(CarrierStatusReported(params=params), account_id=params["AccountSid"], subject=params["MessageSid"])


async def test_reports_on_kafka_move_the_message_forward_once_whatever_their_order(messaging, account):
    queued, [params, *_] = await _queued_text_with_held_callbacks(messaging, account)
    statuses = ["sent", "delivered", "sent", "queued", "delivered", "sending"]
    random.Random(11).shuffle(statuses)

    for status in statuses:
        await messaging.produce(_report({**params, "MessageStatus": status, "SmsStatus": status}))

    delivered = await account.message_reaches(queued["message_id"], "delivered", timeout=60)
    assert delivered["error_code"] is None
    await messaging.events.wait_for(account.account_id, topics.MESSAGE_STATUS_UPDATED, message_id=queued["message_id"], status="delivered")
    updates = messaging.events.of(account.account_id, topics.MESSAGE_STATUS_UPDATED, message_id=queued["message_id"])
    reported = [update["data"]["status"] for update in updates]
    assert reported[-1] == "delivered"
    assert len(reported) == len(set(reported)) and set(reported) <= {"sent", "delivered"}  # each step once, forward only


async def test_a_report_of_a_failure_is_applied_with_its_error_code(messaging, account):
    queued, [params, *_] = await _queued_text_with_held_callbacks(messaging, account)

    await messaging.produce(_report({**params, "MessageStatus": "undelivered", "ErrorCode": "30007"}))

    undelivered = await account.message_reaches(queued["message_id"], "undelivered", timeout=60)
    assert undelivered["error_code"] == 30007
