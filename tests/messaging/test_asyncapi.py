"""The checked-in AsyncAPI document is what the code declares."""

import json

from services.messaging.asyncapi import DOCUMENT, render
from shared import topics


def test_the_checked_in_document_matches_the_code():
    assert DOCUMENT.read_text() == render(), "run `python -m services.messaging.asyncapi` and check the result in"


def test_it_names_every_published_event_and_every_subscription():
    operations = json.loads(DOCUMENT.read_text())["operations"]
    sent = {operation["channel"]["$ref"].rsplit("/", 1)[1] for operation in operations.values() if operation["action"] == "send"}
    received = {operation["channel"]["$ref"].rsplit("/", 1)[1] for operation in operations.values() if operation["action"] == "receive"}
    assert sent == {
        topics.MESSAGE_SEND_REQUESTED, topics.MESSAGE_SENT, topics.MESSAGE_STATUS_UPDATED,
        topics.MESSAGE_FAILED, topics.MESSAGE_RECEIVED, topics.NUMBER_NEEDED, topics.CANNED_REPLY_SENT,
        topics.REVOCATION_DETECTED, topics.REVIEW_ITEM_RAISED, topics.REVIEW_ITEM_DECIDED, topics.CONVERSATION_ASSIGNED,
        topics.SCHEDULED_SEND_CREATED, topics.SCHEDULED_SEND_UPDATED, topics.SCHEDULED_SEND_STARTED, topics.SCHEDULED_SEND_CANCELLED,
    }
    assert "messaging-send-workers:message.send_requested" in received
    assert f"messaging:{topics.CARRIER_STATUS_REPORTED}" in received
    assert {f"messaging:read-models:{topic}" for topic in (topics.CONTACT_CREATED, topics.CONTACT_DELETED, topics.NUMBER_PROVISIONED, topics.NUMBER_RELEASED)} <= received


def test_every_published_event_is_described_for_other_teams():
    channels = json.loads(DOCUMENT.read_text())["channels"]
    for topic in (
        topics.MESSAGE_SEND_REQUESTED, topics.MESSAGE_SENT, topics.MESSAGE_STATUS_UPDATED, topics.MESSAGE_FAILED, topics.MESSAGE_RECEIVED,
        topics.CANNED_REPLY_SENT,
        topics.REVOCATION_DETECTED, topics.REVIEW_ITEM_RAISED, topics.REVIEW_ITEM_DECIDED, topics.CONVERSATION_ASSIGNED,
        topics.SCHEDULED_SEND_CREATED, topics.SCHEDULED_SEND_UPDATED, topics.SCHEDULED_SEND_STARTED, topics.SCHEDULED_SEND_CANCELLED,
    ):
        assert len(channels[topic].get("description", "")) > 40, topic
