"""Conversation assignment: a reply belongs to the user whose number was texted; left unopened
past the account's N minutes it is free for any texter to claim; admins reassign; a reply to a
deactivated user's number goes to the account's admin. Every change is a conversation.assigned."""

from datetime import timedelta
from uuid import uuid4

from shared import topics
from shared.events import Envelope, UserCreated, UserSnapshot, UserUpdated
from tests.messaging.conftest import phone
from tests.support.waiting import eventually


def sid() -> str:
    return f"SM{uuid4().hex}"


async def announce_user(messaging, account_id: str, user_id: str, role: str, *, active: bool = True, updated: bool = False) -> None:
    """The gateway's user.created / user.updated, and wait until messaging keeps it."""
    user = UserSnapshot(user_id=user_id, email=f"{user_id}@example.org", name="User", role=role, active=active)
    data = UserUpdated(user=user, changed=["active"]) if updated else UserCreated(user=user)
    await messaging.produce(Envelope.wrap(data, account_id=account_id, subject=user_id))

    async def kept():
        found = await messaging.store.user(account_id, user_id)
        return found is not None and found["active"] == active and found["role"] == role

    await eventually(kept, timeout=30, what=f"user {user_id} ({role}, active={active}) in messaging's users view")


async def reply(messaging, *, from_: str, to: str, body: str = "Who is this?") -> dict:
    answer = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": sid(), "From": from_, "To": to, "Body": body})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def listed(messaging, headers, **params) -> list[str]:
    answer = await messaging.api.get("/v1/conversations", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return [conversation["conversation_id"] for conversation in answer.json()["conversations"]]


async def set_timeout(account, minutes: int) -> None:
    answer = await account.harness.api.put("/v1/messages/settings", json={"assignment_timeout_minutes": minutes}, headers=account.headers)
    assert answer.status_code == 200 and answer.json()["assignment_timeout_minutes"] == minutes, answer.text


async def test_a_reply_left_unopened_past_the_accounts_minutes_is_free_to_claim(messaging, account):
    our_number = await account.provision_number()
    await set_timeout(account, 10)
    cell, other_cell = phone("cell"), phone("cell")
    contact = await account.create_contact(cell)
    other = await account.create_contact(other_cell)
    holder = account.headers_of(account.user_id, "texter")
    colleague_id = uuid4().hex
    colleague = account.headers_of(colleague_id, "texter")

    left = (await reply(messaging, from_=cell.e164, to=our_number))["conversation_id"]
    opened = (await reply(messaging, from_=other_cell.e164, to=our_number))["conversation_id"]
    assert (await messaging.api.post(f"/v1/conversations/{opened}/read", headers=holder)).status_code == 200

    thread = (await messaging.api.get(f"/v1/conversations/{left}", headers=holder)).json()
    assert (thread["assigned_user_id"], thread["unassigned"], thread["contact_id"]) == (account.user_id, False, contact.contact_id)
    assert sorted(await listed(messaging, holder, assignment="mine")) == sorted([left, opened])
    assert await listed(messaging, colleague) == []
    assert (await messaging.api.get(f"/v1/conversations/{left}", headers=colleague)).status_code == 404
    assert (await messaging.api.post(f"/v1/conversations/{left}/claim", headers=colleague)).status_code == 404

    messaging.clock.advance(timedelta(minutes=11))

    assert await listed(messaging, colleague) == [left]  # the opened one stays its holder's alone
    assert await listed(messaging, colleague, assignment="unassigned") == [left]
    assert (await messaging.api.get(f"/v1/conversations/{left}", headers=colleague)).json()["unassigned"] is True
    assert (await messaging.api.post(f"/v1/conversations/{opened}/claim", headers=colleague)).status_code == 404
    claimed = await messaging.api.post(f"/v1/conversations/{left}/claim", headers=colleague)
    assert claimed.status_code == 200, claimed.text
    assert (claimed.json()["assigned_user_id"], claimed.json()["unassigned"]) == (colleague_id, False)
    assert (await messaging.api.post(f"/v1/conversations/{left}/claim", headers=holder)).status_code == 404  # no longer theirs
    by_admin = await messaging.api.post(f"/v1/conversations/{left}/claim", headers=account.headers_of(uuid4().hex, "admin"))
    assert by_admin.status_code == 409  # admins see it, but reassign rather than claim what is held

    assert await listed(messaging, holder, assignment="mine") == [opened]
    assert await listed(messaging, colleague, assignment="mine") == [left]
    [assigned] = await messaging.events.wait_for(account.account_id, topics.CONVERSATION_ASSIGNED, conversation_id=left)
    assert assigned["_key"] == left
    assert {name: assigned["data"][name] for name in ("assigned_user_id", "previous_user_id", "reason", "by_user_id", "contact_id")} == {
        "assigned_user_id": colleague_id, "previous_user_id": account.user_id, "reason": "claimed", "by_user_id": colleague_id,
        "contact_id": contact.contact_id,
    }
    assert other.contact_id  # the opened thread changed no hands
    assert messaging.events.of(account.account_id, topics.CONVERSATION_ASSIGNED, conversation_id=opened) == []


async def test_an_admin_reassigns_a_thread_only_to_an_active_user_of_the_account(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    await account.create_contact(cell)
    admin_id, texter_id, gone_id = uuid4().hex, uuid4().hex, uuid4().hex
    await announce_user(messaging, account.account_id, admin_id, "admin")
    await announce_user(messaging, account.account_id, texter_id, "texter")
    await announce_user(messaging, account.account_id, gone_id, "texter", active=False)
    stranger_account = messaging.account()
    stranger_id = uuid4().hex
    await announce_user(messaging, stranger_account.account_id, stranger_id, "texter")
    admin, texter = account.headers_of(admin_id, "admin"), account.headers_of(texter_id, "texter")
    conversation_id = (await reply(messaging, from_=cell.e164, to=our_number))["conversation_id"]

    async def assign(headers, user_id):
        return await messaging.api.post(f"/v1/conversations/{conversation_id}/assign", json={"user_id": user_id}, headers=headers)

    by_texter = await assign(texter, texter_id)
    refused = {user_id: await assign(admin, user_id) for user_id in (stranger_id, gone_id, "nobody-here")}
    assert by_texter.status_code == 403
    for user_id, answer in refused.items():
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"] == [{"field": "user_id", "problem": f"no active user {user_id} in this account"}]
    assert (await messaging.api.get(f"/v1/conversations/{conversation_id}", headers=admin)).json()["assigned_user_id"] == account.user_id

    moved = await assign(admin, texter_id)
    assert moved.status_code == 200, moved.text
    assert moved.json()["assigned_user_id"] == texter_id
    assert await listed(messaging, texter, assignment="mine") == [conversation_id]
    freed = await assign(admin, None)
    assert freed.status_code == 200 and freed.json()["unassigned"] is True
    assert await listed(messaging, account.headers_of(uuid4().hex, "texter"), assignment="unassigned") == [conversation_id]

    changes = await messaging.events.wait_for(account.account_id, topics.CONVERSATION_ASSIGNED, count=2, conversation_id=conversation_id)
    assert [(c["data"]["previous_user_id"], c["data"]["assigned_user_id"], c["data"]["reason"], c["data"]["by_user_id"]) for c in changes] == [
        (account.user_id, texter_id, "reassigned", admin_id),
        (texter_id, None, "reassigned", admin_id),
    ]
    assert len(await messaging.store.conversation_assignments(conversation_id)) == 2  # the refusals wrote nothing


async def test_a_reply_to_a_deactivated_users_number_goes_to_the_accounts_admin(messaging, account):
    our_number = await account.provision_number()
    await announce_user(messaging, account.account_id, account.user_id, "texter")
    owner_id, admin_id = uuid4().hex, uuid4().hex
    await announce_user(messaging, account.account_id, owner_id, "owner")
    await announce_user(messaging, account.account_id, admin_id, "admin")
    cell = phone("cell")
    await account.create_contact(cell)
    first = await reply(messaging, from_=cell.e164, to=our_number, body="Hi")
    await announce_user(messaging, account.account_id, account.user_id, "texter", active=False, updated=True)

    second = await reply(messaging, from_=cell.e164, to=our_number, body="Anyone there?")

    assert second["stored"] and second["conversation_id"] == first["conversation_id"]
    admin = account.headers_of(admin_id, "admin")
    assert await listed(messaging, admin, assignment="mine") == [second["conversation_id"]]
    thread = (await messaging.api.get(f"/v1/conversations/{second['conversation_id']}/messages", headers=admin)).json()["messages"]
    assert [message["body"] for message in thread] == ["Hi", "Anyone there?"]
    [routed] = await messaging.events.wait_for(account.account_id, topics.CONVERSATION_ASSIGNED, conversation_id=second["conversation_id"])
    assert (routed["data"]["previous_user_id"], routed["data"]["assigned_user_id"], routed["data"]["reason"], routed["data"]["by_user_id"]) == (
        account.user_id, admin_id, "owner_deactivated", None
    )

    await reply(messaging, from_=cell.e164, to=our_number, body="Hello?")  # already routed: no second change
    assert len(await messaging.store.conversation_assignments(second["conversation_id"])) == 1
