"""Every registration field has a bound: a longer value is a 422 naming it, and the stored draft
stays as it was."""

from shared import bounds
from tests.numbers.test_registration_checks import a_draft

TOO_LONG = {
    "company_name": "x" * (bounds.LABEL + 1),
    "ein": "1" * (bounds.SHORT_CODE + 1),
    "website": "https://example.org/" + "x" * bounds.URL,
    "contact_email": "a" * bounds.EMAIL + "@example.org",
    "customer_profile_bundle_sid": "BU" + "0" * bounds.SHORT_CODE,
    "use_case": "M" * (bounds.SHORT_CODE + 1),
    "description": "x" * (bounds.LONG_TEXT + 1),
    "message_flow": "x" * (bounds.LONG_TEXT + 1),
    "privacy_policy_url": "https://example.org/" + "x" * bounds.URL,
}


async def test_each_registration_field_over_its_bound_is_a_422_naming_it(numbers, account_id):
    owner = numbers.headers(account_id, "owner-1", role="owner")
    draft = a_draft().__dict__
    assert (await numbers.http.put("/v1/registrations", json=draft, headers=owner)).status_code == 200
    for field, value in TOO_LONG.items():
        response = await numbers.http.put("/v1/registrations", json={**draft, field: value}, headers=owner)
        assert response.status_code == 422, (field, response.text)
        assert [problem["field"] for problem in response.json()["errors"]] == [f"body.{field}"]
    long_sample = {**draft, "sample_messages": [draft["sample_messages"][0], "x" * (bounds.SAMPLE_MESSAGE + 1)]}
    response = await numbers.http.put("/v1/registrations", json=long_sample, headers=owner)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.sample_messages.1"
    stored = (await numbers.http.get("/v1/registrations", headers=owner)).json()
    assert {field: stored[field] for field in draft} == draft


async def test_a_call_naming_an_overlong_id_is_a_422(numbers, account_id):
    texter = numbers.headers(account_id, "texter-1")
    response = await numbers.http.post("/v1/calls", json={"contact_id": "c" * 101, "phone_id": "p"}, headers=texter)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.contact_id"
