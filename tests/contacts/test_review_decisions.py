"""Review decisions on replies, as messaging publishes them (review_item.decided on the real Kafka):
a reply judged a revocation opts the number out; a confirmed wrong-number reply tags the phone."""

from uuid import uuid4

import pytest

from shared import topics
from shared.events import Envelope, ReviewItemDecided
from tests.contacts.test_consent_events import create, phone_of

pytestmark = pytest.mark.usefixtures("contacts_runtime")


def decided(account: str, contact: dict, phone: dict, *, kind: str, decision: str, decided_by: str = "user") -> Envelope:
    conversation = uuid4().hex
    data = ReviewItemDecided(
        review_item_id=uuid4().hex,
        kind=kind,
        decision=decision,
        decided_by=decided_by,
        user_id="texter-1" if decided_by == "user" else None,
        conversation_id=conversation,
        contact_id=contact["id"],
        phone_id=phone["phone_id"],
        their_number=phone["e164"],
    )
    return Envelope.wrap(data, account_id=account, subject=conversation)


async def test_a_reply_judged_a_revocation_opts_the_number_out(http, tap, producer, account, as_user):
    headers = as_user(account)
    ada = await create(http, headers, "Ada", "(202) 555-0143")
    phone = await phone_of(http, headers, ada)

    event = decided(account, ada, phone, kind="revocation", decision="opt_out", decided_by="deadline")
    await producer.publish(event, key=event.subject)

    opted_out = await tap.wait_for(account, topics.CONTACT_OPTED_OUT)
    assert opted_out[0].subject == ada["id"] and opted_out[0].data.keyword == "REPLY UNREVIEWED FOR 10 BUSINESS DAYS"
    assert (await phone_of(http, headers, ada))["opted_out"]


async def test_a_confirmed_wrong_number_reply_tags_the_phone_and_a_rejected_one_does_nothing(http, tap, producer, account, as_user):
    headers = as_user(account)
    ada = await create(http, headers, "Ada", "(202) 555-0144")
    bob = await create(http, headers, "Bob", "(202) 555-0145")
    ada_phone, bob_phone = await phone_of(http, headers, ada), await phone_of(http, headers, bob)

    rejected = decided(account, bob, bob_phone, kind="wrong_number", decision="not_wrong_number")
    confirmed = decided(account, ada, ada_phone, kind="wrong_number", decision="wrong_number")
    await producer.publish(rejected, key=rejected.subject)
    await producer.publish(confirmed, key=rejected.subject)  # one partition: handled after the rejected one

    tagged = await tap.wait_for(account, topics.CONTACT_TAGGED)
    assert [(event.subject, event.data.tag) for event in tagged] == [(ada["id"], "Wrong Number")]
    assert (await phone_of(http, headers, ada))["wrong_number"]
    assert not (await phone_of(http, headers, bob))["wrong_number"]
