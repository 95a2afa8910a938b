"""One account can never see or touch another's messages, conversations or contacts."""

from uuid import uuid4

from tests.messaging.conftest import phone


async def test_another_accounts_ids_are_not_found(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    message = (await account.send(contact.contact_id)).json()["messages"][0]
    await account.message_reaches(message["message_id"], "delivered")
    conversation_id = message["conversation_id"]
    intruder = messaging.account()

    assert (await intruder.get(f"/v1/messages/{message['message_id']}")).status_code == 404
    assert (await intruder.get(f"/v1/conversations/{conversation_id}")).status_code == 404
    assert (await intruder.get(f"/v1/conversations/{conversation_id}/messages")).status_code == 404
    read = await messaging.api.post(f"/v1/conversations/{conversation_id}/read", headers=intruder.headers)
    assert read.status_code == 404
    assert (await intruder.send(contact.contact_id)).status_code == 404
    assert (await intruder.get("/v1/conversations")).json()["conversations"] == []
    # and the owner still sees it all, unread state untouched by the intruder
    assert (await account.get(f"/v1/conversations/{conversation_id}")).status_code == 200


async def test_unknown_ids_are_not_found(messaging, account):
    assert (await account.get(f"/v1/messages/{uuid4().hex}")).status_code == 404
    assert (await account.get(f"/v1/conversations/{uuid4().hex}")).status_code == 404
    assert (await account.get(f"/v1/conversations/{uuid4().hex}/messages")).status_code == 404


async def test_every_route_needs_a_caller(messaging, account):
    assert (await messaging.api.get("/v1/conversations")).status_code == 401
    assert (await messaging.api.post("/v1/messages", json={"contact_id": "x", "body": "hi"})).status_code == 401
    assert (await messaging.api.get("/v1/conversations", headers={"X-Caller-Token": "forged"})).status_code == 401
