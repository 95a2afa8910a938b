"""Each string a contact takes has a bound; a longer one is a 422 naming it and writes nothing."""

import pytest

from services.contacts.domain.fields import MAX_CUSTOM_FIELD_NAME, MAX_NAME_LENGTH
from shared import bounds

pytestmark = pytest.mark.usefixtures("contacts_runtime")

TOO_LONG = [
    ({"first_name": "x" * (MAX_NAME_LENGTH + 1)}, "body.first_name"),
    ({"last_name": "x" * (MAX_NAME_LENGTH + 1)}, "body.last_name"),
    ({"notes": "x" * (bounds.NOTE + 1)}, "body.notes"),
    ({"emails": ["a@example.org", "a" * bounds.EMAIL + "@example.org"]}, "body.emails.1"),
    ({"tags": ["x" * (bounds.LABEL + 1)]}, "body.tags.0"),
    ({"custom_fields": {"x" * (MAX_CUSTOM_FIELD_NAME + 1): 1}}, f"body.custom_fields.{'x' * (MAX_CUSTOM_FIELD_NAME + 1)}.[key]"),
    ({"phones": [{"number": "2" * (bounds.PHONE_AS_TYPED + 1)}]}, "body.phones.0.number"),
    ({"address": {"street": "x" * (bounds.LABEL + 1)}}, "body.address.street"),
    ({"owner_user_id": "u" * (bounds.IDENTIFIER + 1)}, "body.owner_user_id"),
]


@pytest.mark.parametrize(("changes", "field"), TOO_LONG)
async def test_a_string_over_its_bound_is_a_422_naming_it(http, account, as_user, changes, field):
    headers = as_user(account)
    response = await http.post("/v1/contacts", json={"first_name": "Ada", **changes}, headers=headers)
    assert response.status_code == 422, response.text
    assert [problem["field"] for problem in response.json()["errors"]] == [field]
    assert (await http.get("/v1/contacts", headers=headers)).json()["items"] == []


async def test_grid_query_strings_are_bounded(http, account, as_user):
    headers = as_user(account)
    for params in ({"city": "x" * (bounds.LABEL + 1)}, {"tags_any": ["x" * (bounds.LABEL + 1)]}, {"sort": "x" * 100}):
        response = await http.get("/v1/contacts", params=params, headers=headers)
        assert response.status_code == 422, (params, response.text)
