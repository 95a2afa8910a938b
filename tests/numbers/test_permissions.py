"""The numbers service's permission matrix: every route named, every row enforced for every role,
and what a texter sees of the registration."""

import pytest

from services.numbers.entrypoints.permissions import MATRIX
from shared.permissions import gaps
from tests.numbers.test_registration_checks import a_draft
from tests.support.permissions import assert_gate, case_id, cases


def _headers(numbers, account_id: str, role: str) -> dict[str, str]:
    return numbers.system_headers() if role == "system" else numbers.headers(account_id, f"{role}-1", role=role)


def test_every_route_of_the_app_is_in_the_matrix_and_behind_its_gate(numbers):
    assert gaps(numbers.http._transport.app, MATRIX) == []


@pytest.mark.parametrize(("rule", "role"), cases(MATRIX.rules), ids=case_id)
async def test_each_role_gets_past_the_gate_only_where_the_matrix_allows(numbers, account_id, rule, role):
    await assert_gate(numbers.http, rule, role, lambda role: _headers(numbers, account_id, role))


async def test_a_texter_sees_the_registrations_state_but_never_its_ein(numbers, account_id):
    draft = {**a_draft().__dict__, "ein": "12-3456789"}
    owner, admin, texter = (_headers(numbers, account_id, role) for role in ("owner", "admin", "texter"))
    assert (await numbers.http.put("/v1/registrations", json=draft, headers=texter)).status_code == 403
    assert (await numbers.http.put("/v1/registrations", json=draft, headers=admin)).status_code == 403
    written = await numbers.http.put("/v1/registrations", json=draft, headers=owner)
    assert written.status_code == 200, written.text

    seen_by_texter = await numbers.http.get("/v1/registrations", headers=texter)
    assert seen_by_texter.status_code == 200
    assert seen_by_texter.json() == {
        "registration_id": written.json()["registration_id"], "state": "draft", "reason": None, "deliverability_warning": True,
    }
    assert "12-3456789" not in seen_by_texter.text
    for manager in (owner, admin):
        assert (await numbers.http.get("/v1/registrations", headers=manager)).json()["ein"] == "12-3456789"


async def test_an_admin_changes_the_deactivation_setting_and_a_texter_may_not_read_it(numbers, account_id):
    admin, texter = _headers(numbers, account_id, "admin"), _headers(numbers, account_id, "texter")
    changed = await numbers.http.put("/v1/numbers/settings", json={"on_deactivation": "reassign"}, headers=admin)
    assert changed.status_code == 200 and changed.json() == {"on_deactivation": "reassign"}
    refused = await numbers.http.get("/v1/numbers/settings", headers=texter)
    assert refused.status_code == 403 and "deactivated user's number" in refused.json()["detail"]
