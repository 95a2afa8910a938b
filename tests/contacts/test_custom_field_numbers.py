"""Custom field values the store cannot keep exactly (NaN, infinities, integers past 64 bits) are a
422 at the edge, on create and on edit, and never reach the store."""

import json

import pytest

from services.contacts.domain.errors import InvalidContact
from services.contacts.domain.fields import merge_custom_fields

pytestmark = pytest.mark.usefixtures("contacts_runtime")

UNSTORABLE = ["NaN", "Infinity", "-Infinity", "1e309", "-1e309", str(2**63), str(-(2**63) - 1), "1" + "0" * 400]


def _raw_json(value: str, **fields) -> bytes:
    """JSON as a client may send it: NaN and Infinity are not JSON, but Python's parser takes them."""
    return ('{"first_name": "Ada", %s"custom_fields": {"ward": %s}}' % ("".join(f'"{k}": {json.dumps(v)}, ' for k, v in fields.items()), value)).encode()


@pytest.mark.parametrize("value", UNSTORABLE)
async def test_an_unstorable_number_in_a_new_contact_is_a_422_and_nothing_is_written(http, account, as_user, value):
    headers = {**as_user(account), "content-type": "application/json"}
    response = await http.post("/v1/contacts", content=_raw_json(value), headers=headers)
    assert response.status_code == 422, response.text
    assert [problem["field"] for problem in response.json()["errors"]] == ["body.custom_fields.ward"]
    assert (await http.get("/v1/contacts", headers=as_user(account))).json()["items"] == []


async def test_an_unstorable_number_in_an_edit_is_a_422_and_the_contact_keeps_its_value(http, account, as_user):
    headers = as_user(account)
    created = await http.post("/v1/contacts", json={"first_name": "Ada", "custom_fields": {"ward": 3}}, headers=headers)
    assert created.status_code == 201, created.text
    contact_id = created.json()["id"]
    for value in UNSTORABLE:
        edit = await http.patch(
            f"/v1/contacts/{contact_id}", content=b'{"custom_fields": {"ward": %s}}' % value.encode(),
            headers={**headers, "content-type": "application/json"},
        )
        assert edit.status_code == 422, (value, edit.text)
    stored = (await http.get(f"/v1/contacts/{contact_id}", headers=headers)).json()
    assert stored["custom_fields"] == {"ward": 3} and stored["revision"] == 1


async def test_the_largest_storable_numbers_are_kept_exactly(http, account, as_user):
    values = {"big": 2**63 - 1, "small": -(2**63), "ratio": 1.7976931348623157e308, "yes": True, "text": "x" * 1000}
    created = await http.post("/v1/contacts", json={"first_name": "Ada", "custom_fields": values}, headers=as_user(account))
    assert created.status_code == 201, created.text
    fetched = (await http.get(f"/v1/contacts/{created.json()['id']}", headers=as_user(account))).json()
    assert fetched["custom_fields"] == values


async def test_a_custom_text_value_over_its_bound_is_a_422(http, account, as_user):
    response = await http.post("/v1/contacts", json={"first_name": "Ada", "custom_fields": {"bio": "x" * 1001}}, headers=as_user(account))
    assert response.status_code == 422
    assert "at most 1000 characters" in response.json()["errors"][0]["problem"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2**63, "x" * 1001])
def test_the_domain_refuses_the_same_values_whatever_the_entrypoint(value):
    with pytest.raises(InvalidContact) as refused:
        merge_custom_fields({}, {"ward": value})
    assert [problem.field for problem in refused.value.problems] == ["custom_fields.ward"]
