"""The gateway's permission matrix: its routes named, the signed-in user dependency checking each row
for every role, what a texter sees of other users, and the permissions /api/me tells the web client."""

import asyncio
import contextlib
import uuid
from dataclasses import dataclass

import pytest

from services.gateway.entrypoints.deps import _current_user, _stream_user
from services.gateway.entrypoints.permissions import MATRIX, permissions_of
from shared.permissions import USER_ROLES, gaps, routes_of
from tests.support.permissions import call
from tests.support.waiting import eventually
from tests.support.accounts import sign_up_and_sign_in

USER_ROWS = [rule for rule in MATRIX.rules if not rule.public]


@dataclass
class Member:
    id: str
    account_id: str
    headers: dict[str, str]


async def _member(gateway, owner_headers: dict, role: str, cell: str) -> Member:
    body = {"email": f"{role}-{uuid.uuid4().hex[:8]}@example.org", "name": role.title(), "password": "a long enough password",
            "role": role, "primary_cell": cell}
    added = await gateway.post("/api/users", json=body, headers=owner_headers)
    assert added.status_code == 201, added.text
    login = await gateway.post("/api/auth/login", json={"email": body["email"], "password": body["password"]})
    return Member(added.json()["id"], added.json()["account_id"], {"Authorization": f"Bearer {login.json()['access_token']}"})


@pytest.fixture(scope="module")
async def team(gateway) -> dict[str, Member]:
    tag = uuid.uuid4().hex[:10]
    session = await sign_up_and_sign_in(gateway, {
        "account_name": f"Campaign {tag}", "name": "Owner", "email": f"owner-{tag}@example.org",
        "password": "a long enough password", "primary_cell": "512-474-2000",
    })
    owner = Member(session["user"]["id"], session["user"]["account_id"], {"Authorization": f"Bearer {session['access_token']}"})
    return {
        "owner": owner,
        "admin": await _member(gateway, owner.headers, "admin", "(737) 555-0101"),
        "texter": await _member(gateway, owner.headers, "texter", "(737) 555-0102"),
    }


async def _stream_or_refusal(gateway, member: Member):
    """The refusal if the live stream answers one; None once the stream is open for the member."""
    request = asyncio.create_task(gateway.get("/api/notifications/stream", headers=member.headers))
    live = gateway.app.state.live

    async def opened_or_answered():
        return request.done() or live.open_for(member.account_id, member.id) > 0

    await eventually(opened_or_answered, what="the stream to open or be refused")
    if request.done():
        return request.result()
    request.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await request
    return None


def _asks_for_the_user(dependant) -> bool:
    return any(dependency.call in (_current_user, _stream_user) or _asks_for_the_user(dependency) for dependency in dependant.dependencies)


def test_every_route_is_in_the_matrix_and_only_the_public_ones_skip_the_signed_in_user(gateway):
    assert gaps(gateway.app, MATRIX, gated=False) == []
    for method, path, route in routes_of(gateway.app):
        rule = MATRIX.rule(method, path)
        assert _asks_for_the_user(route.dependant) is not rule.public, f"{rule.route}: public is {rule.public}"


@pytest.mark.parametrize("role", USER_ROLES)
@pytest.mark.parametrize("rule", USER_ROWS, ids=lambda rule: rule.route)
async def test_each_role_gets_past_the_gate_only_where_the_matrix_allows(gateway, team, rule, role):
    member = team[role]
    if rule.path == "/api/notifications/stream":
        response = await _stream_or_refusal(gateway, member)
        if response is None:
            assert role in rule.roles, "the stream opened for a role the matrix refuses"
            return
    else:
        response = await call(gateway, rule, member.headers, path=rule.path.replace("{user_id}", member.id))  # their own user
    if role in rule.roles:
        assert response.status_code != 403 and response.status_code < 500, (rule.route, role, response.text)
    else:
        assert response.status_code == 403, (rule.route, role, response.text)
        assert response.json()["detail"] == rule.refusal(role)


async def test_a_texter_sees_colleagues_names_and_roles_but_not_their_cells(gateway, team):
    seen_by_texter = {member["id"]: member for member in (await gateway.get("/api/users", headers=team["texter"].headers)).json()}
    assert {member["role"] for member in seen_by_texter.values()} == {"owner", "admin", "texter"}
    assert seen_by_texter[team["owner"].id]["name"] == "Owner" and seen_by_texter[team["owner"].id]["primary_cell"] is None
    assert seen_by_texter[team["admin"].id]["primary_cell"] is None
    assert seen_by_texter[team["texter"].id]["primary_cell"] == "+17375550102", "their own cell is theirs to see"

    seen_by_admin = {member["id"]: member for member in (await gateway.get("/api/users", headers=team["admin"].headers)).json()}
    assert seen_by_admin[team["owner"].id]["primary_cell"] == "+15124742000"
    assert seen_by_admin[team["texter"].id]["primary_cell"] == "+17375550102"


async def test_me_lists_what_the_role_may_call(gateway, team):
    texter = (await gateway.get("/api/me", headers=team["texter"].headers)).json()
    admin = (await gateway.get("/api/me", headers=team["admin"].headers)).json()
    owner = (await gateway.get("/api/me", headers=team["owner"].headers)).json()
    assert texter["role"] == "texter" and texter["permissions"] == permissions_of("texter")
    assert "POST /api/messages" in texter["permissions"] and "GET /api/registrations" in texter["permissions"]
    for refused in ("GET /api/contacts/export.csv", "PUT /api/messages/settings", "PUT /api/contacts/settings", "POST /api/users"):
        assert refused not in texter["permissions"] and refused in admin["permissions"]
    assert "PUT /api/registrations" in owner["permissions"] and "PUT /api/registrations" not in admin["permissions"]
