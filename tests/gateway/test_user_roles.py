"""Owner and role rules in user management, against the gateway and its store: only an owner
grants or removes the owner role, an account always keeps an active owner, nobody changes their
own role, and a change of someone's primary cell needs an owner or admin and is recorded."""

import asyncio
import json
import uuid

from aiokafka import AIOKafkaConsumer

from services.gateway.adapters.repository import USER_CHANGES, USERS
from tests.support.accounts import sign_up_and_sign_in

PASSWORD = "correct horse battery staple"


class Team:
    """An account with an owner, and helpers to add members and act as any of them."""

    def __init__(self, gateway, session: dict) -> None:
        self.gateway, self.session = gateway, session
        self.owner = {"Authorization": f"Bearer {session['access_token']}"}
        self.owner_id = session["user"]["id"]

    async def add(self, role: str, cell: str | None = None) -> tuple[str, dict]:
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
        body = {"email": email, "name": role.title(), "password": PASSWORD, "role": role, "primary_cell": cell}
        added = await self.gateway.post("/api/users", json=body, headers=self.owner)
        assert added.status_code == 201, added.text
        login = await self.gateway.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        return added.json()["id"], {"Authorization": f"Bearer {login.json()['access_token']}"}

    async def patch(self, user_id: str, body: dict, headers: dict):
        return await self.gateway.patch(f"/api/users/{user_id}", json=body, headers=headers)

    async def member(self, user_id: str) -> dict:
        team = (await self.gateway.get("/api/users", headers=self.owner)).json()
        return next(member for member in team if member["id"] == user_id)


async def _team(gateway) -> Team:
    tag = uuid.uuid4().hex[:10]
    body = {"account_name": f"Campaign {tag}", "name": "Sam Owner", "email": f"sam-{tag}@example.org", "password": PASSWORD,
            "primary_cell": "512-474-2000"}
    return Team(gateway, await sign_up_and_sign_in(gateway, body))


async def test_an_admin_cannot_make_themselves_owner(gateway):
    team = await _team(gateway)
    admin_id, admin = await team.add("admin")
    refused = await team.patch(admin_id, {"role": "owner"}, admin)
    assert refused.status_code == 403 and "own role" in refused.json()["detail"]
    assert (await team.member(admin_id))["role"] == "admin"


async def test_an_admin_cannot_grant_owner_to_anyone_else_either(gateway):
    team = await _team(gateway)
    _, admin = await team.add("admin")
    texter_id, _ = await team.add("texter")
    refused = await team.patch(texter_id, {"role": "owner"}, admin)
    assert refused.status_code == 403 and "only an owner" in refused.json()["detail"]


async def test_an_admin_cannot_demote_or_deactivate_the_owner(gateway):
    team = await _team(gateway)
    _, admin = await team.add("admin")
    demote = await team.patch(team.owner_id, {"role": "texter"}, admin)
    deactivate = await team.patch(team.owner_id, {"active": False}, admin)
    assert [demote.status_code, deactivate.status_code] == [403, 403]
    assert "only an owner" in demote.json()["detail"] and "only an owner" in deactivate.json()["detail"]
    owner = await team.member(team.owner_id)
    assert (owner["role"], owner["active"]) == ("owner", True)
    assert (await team.gateway.get("/api/me", headers=team.owner)).status_code == 200


async def test_a_sole_owner_cannot_demote_or_deactivate_themselves(gateway):
    team = await _team(gateway)
    demote = await team.patch(team.owner_id, {"role": "admin"}, team.owner)
    assert demote.status_code == 403 and "own role" in demote.json()["detail"]
    deactivate = await team.patch(team.owner_id, {"active": False}, team.owner)
    assert deactivate.status_code == 409 and "at least one active owner" in deactivate.json()["detail"]
    owner = await team.member(team.owner_id)
    assert (owner["role"], owner["active"]) == ("owner", True)


async def test_an_owner_can_hand_over_and_the_last_active_owner_stays(gateway):
    team = await _team(gateway)
    second_id, second = await team.add("admin")
    promoted = await team.patch(second_id, {"role": "owner"}, team.owner)
    assert promoted.status_code == 200 and promoted.json()["role"] == "owner"
    demoted = await team.patch(team.owner_id, {"role": "admin"}, second)
    assert demoted.status_code == 200 and demoted.json()["role"] == "admin"
    # The first owner is now an admin: the remaining owner is the last one.
    refused = await team.patch(second_id, {"active": False}, second)
    assert refused.status_code == 409
    former_owner = {"Authorization": team.owner["Authorization"]}
    by_admin = await team.patch(second_id, {"role": "texter"}, former_owner)
    assert by_admin.status_code == 403


async def test_deactivating_one_of_two_owners_is_allowed_but_not_the_other_afterwards(gateway):
    team = await _team(gateway)
    second_id, _ = await team.add("owner")
    assert (await team.patch(second_id, {"active": False}, team.owner)).status_code == 200
    # An inactive owner does not count: the first owner is the last active one.
    assert (await team.patch(team.owner_id, {"active": False}, team.owner)).status_code == 409


async def test_a_texter_cannot_change_anyone_elses_primary_cell(gateway):
    team = await _team(gateway)
    _, texter = await team.add("texter")
    refused = await team.patch(team.owner_id, {"primary_cell": "737-555-0100"}, texter)
    assert refused.status_code == 403
    assert (await team.member(team.owner_id))["primary_cell"] == "+15124742000"


async def test_a_primary_cell_change_is_recorded_in_the_store_and_on_the_event(gateway, infra, run_id):
    team = await _team(gateway)
    admin_id, admin = await team.add("admin")
    texter_id, _ = await team.add("texter", cell="512-555-0142")
    consumer = AIOKafkaConsumer(
        f"gateway-{run_id}.user.updated", bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        group_id=f"gateway-test-{uuid.uuid4().hex}", auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        changed = await team.patch(texter_id, {"primary_cell": "(737) 555-0100"}, admin)
        assert changed.status_code == 200 and changed.json()["primary_cell"] == "+17375550100"
        team.gateway.app.state.runtime.relay.kick()
        event = None
        while event is None:
            message = await asyncio.wait_for(consumer.getone(), timeout=30)
            if message.key == texter_id.encode():
                event = json.loads(message.value)
    finally:
        await consumer.stop()
    data = event["data"]
    assert data["changed"] == ["primary_cell"] and data["changed_by"] == admin_id
    assert data["previous"] == {"primary_cell": "+15125550142"} and data["user"]["primary_cell"] == "+17375550100"
    assert data["changed_at"]

    db = team.gateway.app.state.runtime.db
    [entry] = await db[USER_CHANGES].find({"user_id": texter_id}).to_list()
    assert (entry["account_id"], entry["changed_by"], entry["field"]) == (team.session["user"]["account_id"], admin_id, "primary_cell")
    assert (entry["old"], entry["new"]) == ("+15125550142", "+17375550100") and entry["at"]
    assert (await db[USERS].find_one({"_id": texter_id}))["primary_cell"] == "+17375550100"


async def test_two_owners_removing_each_other_at_once_leave_one_active_owner(gateway):
    for _ in range(5):
        team = await _team(gateway)
        other_id, other = await team.add("owner")
        first, second = await asyncio.gather(
            team.patch(other_id, {"active": False}, team.owner),
            team.patch(team.owner_id, {"active": False}, other),
        )
        assert sorted([first.status_code, second.status_code]) == [200, 409], (first.text, second.text)
        refused = first if first.status_code == 409 else second
        assert "at least one active owner" in refused.json()["detail"]
        members = (await team.gateway.get("/api/users", headers=other if first.status_code == 409 else team.owner)).json()
        assert [m["id"] for m in members if m["role"] == "owner" and m["active"]] in ([team.owner_id], [other_id])
