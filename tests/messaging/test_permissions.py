"""The messaging service's permission matrix: every route named, every row enforced for every role,
and the narrower rules on texters' bulk sends."""

from uuid import uuid4

import pytest

from services.messaging.adapters.store.common import derived_id
from services.messaging.entrypoints.permissions import MATRIX
from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from shared.permissions import gaps
from tests.support.permissions import assert_gate, case_id, cases


def _headers(messaging, account, role: str, user_id: str | None = None) -> dict[str, str]:
    caller = Caller(account_id=None if role == "system" else account.account_id, user_id=user_id or account.user_id, role=role)
    return {CALLER_HEADER: sign_caller_token(caller, messaging.settings.internal_auth_secret, audience="messaging")}


def test_every_route_of_the_app_is_in_the_matrix_and_behind_its_gate(messaging):
    assert gaps(messaging.api._transport.app, MATRIX) == []


@pytest.mark.parametrize(("rule", "role"), cases(MATRIX.rules), ids=case_id)
async def test_each_role_gets_past_the_gate_only_where_the_matrix_allows(messaging, account, rule, role):
    await assert_gate(messaging.api, rule, role, lambda role: _headers(messaging, account, role))


async def test_a_texter_may_read_but_not_change_the_texting_settings(messaging, account):
    texter = _headers(messaging, account, "texter")
    changed = await messaging.api.put("/v1/messages/settings", json={"help_reply": "Call us"}, headers=texter)
    assert changed.status_code == 403
    assert changed.json()["detail"] == (
        "a caller with the role texter may not change the account's texting settings "
        "(quiet hours, opt-out scope, STOP/HELP replies): only an owner or an admin may"
    )
    read = await messaging.api.get("/v1/messages/settings", headers=texter)
    assert read.status_code == 200 and read.json().get("help_reply") != "Call us"
    admin = _headers(messaging, account, "admin")
    assert (await messaging.api.put("/v1/messages/settings", json={"help_reply": "Call us"}, headers=admin)).json()["help_reply"] == "Call us"


async def test_a_texter_bulk_sends_to_a_bounded_selection_and_nothing_is_written_beyond_it(messaging, account):
    most = messaging.settings.texter_bulk_send_max_contacts
    texter, owner = _headers(messaging, account, "texter"), _headers(messaging, account, "owner")
    messaging.selection.ids[account.account_id] = [f"c-{index:04d}" for index in range(most + 1)]
    everyone = {"body": "Polls open at 7", "selection": {"filter": {}}}

    key = uuid4().hex
    refused = await messaging.api.post("/v1/bulk-sends", json={**everyone, "idempotency_key": key}, headers=texter)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"a texter may bulk-send to at most {most} contacts and this selection holds {most + 1}: "
        "narrow it, or ask an owner or an admin to send it"
    )
    assert await messaging.store.job_by_id(derived_id("bulk", account.account_id, key)) is None
    ticked = [uuid4().hex for _ in range(most + 1)]
    assert (await messaging.api.post("/v1/bulk-sends", json={"body": "Hi", "contact_ids": ticked}, headers=texter)).status_code == 403

    assert (await messaging.api.post("/v1/bulk-sends", json={"body": "Hi", "contact_ids": ticked[:most]}, headers=texter)).status_code == 202
    assert (await messaging.api.post("/v1/bulk-sends", json=everyone, headers=owner)).status_code == 202
    messaging.selection.ids[account.account_id] = messaging.selection.ids[account.account_id][:most]
    assert (await messaging.api.post("/v1/bulk-sends", json={**everyone, "confirm_duplicate": True}, headers=texter)).status_code == 202


async def test_a_texter_cancels_only_their_own_bulk_sends(messaging, account):
    mine = _headers(messaging, account, "texter")
    colleague = _headers(messaging, account, "texter", user_id="colleague")
    job = (await messaging.api.post("/v1/bulk-sends", json={"body": "Hi", "contact_ids": ["nobody"]}, headers=mine)).json()

    refused = await messaging.api.post(f"/v1/bulk-sends/{job['job_id']}/cancel", headers=colleague)
    assert refused.status_code == 403 and refused.json()["detail"] == "a texter may cancel only their own bulk sends"
    assert (await messaging.api.post(f"/v1/bulk-sends/{job['job_id']}/cancel", headers=mine)).status_code == 200
    assert (await messaging.api.post(f"/v1/bulk-sends/{job['job_id']}/cancel", headers=_headers(messaging, account, "admin"))).status_code == 200
