"""The notifications service's permission matrix: every route named, every row enforced for every role."""

from uuid import uuid4

import pytest

from services.notifications.entrypoints.permissions import MATRIX
from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from shared.permissions import gaps
from tests.support.permissions import assert_gate, case_id, cases


def _headers(notifications, account_id: str, role: str) -> dict[str, str]:
    if role != "system":
        return notifications.headers(account_id, f"{role}-1", role=role)
    gateway = Caller(account_id=None, user_id="gateway", role="system")
    return {CALLER_HEADER: sign_caller_token(gateway, notifications.settings.internal_auth_secret, audience="notifications")}


def test_every_route_of_the_app_is_in_the_matrix_and_behind_its_gate(notifications):
    assert gaps(notifications.http._transport.app, MATRIX) == []


@pytest.mark.parametrize(("rule", "role"), cases(MATRIX.rules), ids=case_id)
async def test_each_role_gets_past_the_gate_only_where_the_matrix_allows(notifications, rule, role):
    account_id = f"acct-{uuid4().hex}"
    await assert_gate(notifications.http, rule, role, lambda role: _headers(notifications, account_id, role))
