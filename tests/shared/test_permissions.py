"""The permission mechanism on a small app: the gate refuses what the matrix does not name."""

from types import SimpleNamespace

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from shared.permissions import MANAGERS, USERS, PermissionMatrix, Rule, gaps
from shared.web import install_common_handlers

SECRET = "permissions-unit-test-secret-of-enough-length"
MATRIX = PermissionMatrix([
    Rule("GET", "/v1/things/{thing_id}", USERS, "read a thing"),
    Rule("PUT", "/v1/things/{thing_id}", MANAGERS, "change a thing"),
])


def _app(*, forgotten_route: bool = False, ungated_route: bool = False) -> FastAPI:
    router = APIRouter(prefix="/v1/things")

    @router.get("/{thing_id}")
    async def read(thing_id: str) -> dict:
        return {"id": thing_id}

    @router.put("/{thing_id}")
    async def change(thing_id: str) -> dict:
        return {"id": thing_id}

    if forgotten_route:
        @router.delete("/{thing_id}")
        async def delete(thing_id: str) -> dict:
            return {"id": thing_id}

    app = FastAPI()
    app.state.settings = SimpleNamespace(internal_auth_secret=SECRET, caller_audience="contacts", caller_token_max_seconds=300)
    install_common_handlers(app)
    MATRIX.include(app, [router])
    if ungated_route:
        @app.get("/v1/things/{thing_id}/shadow")
        async def shadow(thing_id: str) -> dict:
            return {"id": thing_id}
    return app


def _as(role: str) -> dict[str, str]:
    return {CALLER_HEADER: sign_caller_token(Caller(account_id="acc-1", user_id="user-1", role=role), SECRET, audience="contacts")}


async def _call(app: FastAPI, method: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        return await client.request(method, path, headers=headers or {})


async def test_allowed_roles_pass_and_others_get_a_403_naming_who_may():
    app = _app()
    assert (await _call(app, "PUT", "/v1/things/t1", _as("admin"))).status_code == 200
    refused = await _call(app, "PUT", "/v1/things/t1", _as("texter"))
    assert refused.status_code == 403
    assert refused.json() == {"detail": "a caller with the role texter may not change a thing: only an owner or an admin may"}
    assert (await _call(app, "GET", "/v1/things/t1", _as("system"))).status_code == 403
    assert (await _call(app, "GET", "/v1/things/t1")).status_code == 401
    assert (await _call(app, "GET", "/healthz")).status_code == 200


async def test_a_route_the_matrix_does_not_name_is_refused_to_everyone_and_reported():
    app = _app(forgotten_route=True)
    for role in ("owner", "admin", "texter", "system"):
        refused = await _call(app, "DELETE", "/v1/things/t1", _as(role))
        assert refused.status_code == 403
        assert refused.json()["detail"] == "no permission rule covers DELETE /v1/things/{thing_id}, so nobody may call it"
    assert gaps(app, MATRIX) == ["DELETE /v1/things/{thing_id}: not in the permission matrix"]


def test_gaps_reports_routes_outside_the_gate_and_rows_without_a_route():
    app = _app(ungated_route=True)
    assert gaps(app, MATRIX) == [
        "GET /v1/things/{thing_id}/shadow: not in the permission matrix",
        "GET /v1/things/{thing_id}/shadow: does not run the permission gate",
    ]
    extra = PermissionMatrix([*MATRIX.rules, Rule("POST", "/v1/things", USERS, "add a thing")])
    assert gaps(_app(), extra, gated=False) == ["POST /v1/things: in the permission matrix but no such route"]


def test_a_route_named_twice_is_refused():
    with pytest.raises(ValueError, match="named twice"):
        PermissionMatrix([*MATRIX.rules, Rule("GET", "/v1/things/{thing_id}", MANAGERS, "read a thing")])
