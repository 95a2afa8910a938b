"""A thread changing hands (conversation.assigned, from messaging on the real Kafka) goes on the
contact's timeline once, with who did it, without counting as being in contact with the person."""

from uuid import uuid4

import pytest

from shared.events import ConversationAssigned, Envelope
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("contacts_runtime")


async def test_an_assignment_change_is_on_the_timeline_once(http, producer, account, as_user):
    headers = as_user(account)
    created = await http.post(
        "/v1/contacts", json={"first_name": "Cy", "phones": [{"number": "(202) 555-0144", "type": "cell"}]}, headers=headers
    )
    assert created.status_code == 201, created.text
    contact = created.json()
    conversation_id = uuid4().hex
    data = ConversationAssigned(
        conversation_id=conversation_id, contact_id=contact["id"], their_number="+12025550144",
        assigned_user_id="user-9", previous_user_id="user-1", reason="reassigned", by_user_id="admin-1",
    )
    event = Envelope.wrap(data, account_id=account, subject=conversation_id)

    await producer.publish(event, key=conversation_id)
    await producer.publish(event, key=conversation_id)  # redelivered
    marker = Envelope.wrap(data.model_copy(update={"assigned_user_id": "user-10"}), account_id=account, subject=conversation_id)
    await producer.publish(marker, key=conversation_id)

    async def both_on_timeline():
        profile = (await http.get(f"/v1/contacts/{contact['id']}", headers=headers)).json()
        entries = [entry for entry in profile["timeline"] if entry["kind"] == "assigned"]
        return (profile, entries) if any(entry["detail"]["assigned_user_id"] == "user-10" for entry in entries) else None

    profile, entries = await eventually(both_on_timeline, timeout=30, what="the assignments on the timeline")
    assert [entry["detail"]["assigned_user_id"] for entry in entries] == ["user-9", "user-10"]
    assert (entries[0]["by_user_id"], entries[0]["detail"]["reason"], entries[0]["detail"]["previous_user_id"]) == ("admin-1", "reassigned", "user-1")
    assert entries[0]["detail"]["conversation_id"] == conversation_id
    assert profile["last_contacted_at"] is None
