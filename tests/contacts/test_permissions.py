"""The contacts service's permission matrix: every route named, every row enforced for every role."""

import pytest

from services.contacts.bootstrap import create_app
from services.contacts.entrypoints.permissions import MATRIX
from shared.permissions import gaps
from tests.support.permissions import assert_gate, case_id, cases

pytestmark = pytest.mark.usefixtures("contacts_runtime")


def test_every_route_of_the_app_is_in_the_matrix_and_behind_its_gate(contacts_settings, contacts_runtime):
    assert gaps(create_app(contacts_settings, runtime=contacts_runtime), MATRIX) == []


@pytest.mark.parametrize(("rule", "role"), cases(MATRIX.rules), ids=case_id)
async def test_each_role_gets_past_the_gate_only_where_the_matrix_allows(http, account, as_user, rule, role):
    await assert_gate(http, rule, role, lambda role: as_user(None if role == "system" else account, "user-1", role=role))


async def test_a_texter_may_not_export_contacts_or_change_the_default_region(http, account, as_user):
    texter, admin = as_user(account, role="texter"), as_user(account, role="admin")
    export = await http.get("/v1/contacts/export.csv", headers=texter)
    assert export.status_code == 403
    assert export.json()["detail"] == "a caller with the role texter may not export contacts as CSV: only an owner or an admin may"
    region = await http.put("/v1/contacts/settings", json={"default_phone_region": "GB"}, headers=texter)
    assert region.status_code == 403 and "default phone region" in region.json()["detail"]
    assert (await http.get("/v1/contacts/settings", headers=texter)).json() == {"default_phone_region": "US"}

    assert (await http.get("/v1/contacts/export.csv", headers=admin)).status_code == 200
    assert (await http.put("/v1/contacts/settings", json={"default_phone_region": "GB"}, headers=admin)).status_code == 200


async def test_a_texter_may_tag_a_whole_selection_but_not_delete_contacts(http, account, as_user):
    texter = as_user(account, role="texter")
    created = await http.post("/v1/contacts", json={"first_name": "Ada"}, headers=texter)
    assert created.status_code == 201
    tagged = await http.post("/v1/contacts/bulk/tag", json={"tag": "Volunteer", "filter": {}}, headers=texter)
    assert tagged.status_code == 200 and tagged.json()["changed"] == 1
    deleted = await http.delete(f"/v1/contacts/{created.json()['id']}", headers=texter)
    assert deleted.status_code == 403
    assert (await http.get(f"/v1/contacts/{created.json()['id']}", headers=texter)).status_code == 200
