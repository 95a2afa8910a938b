"""Every save of the 10DLC registration announces the brand's name and how people reach it
(registration.saved), which messaging's HELP reply names."""

from tests.numbers.test_registration_checks import a_draft
from tests.support.waiting import eventually


async def test_each_save_announces_the_brand_and_its_contact_details(numbers, account_id):
    owner = numbers.headers(account_id, "owner-1", role="owner")
    draft = {**a_draft().__dict__, "company_name": "Riverside Tenants Union", "contact_phone": "(512) 555-0100"}

    saved = await numbers.http.put("/v1/registrations", json=draft, headers=owner)
    assert saved.status_code == 200, saved.text
    assert saved.json()["contact_phone"] == "(512) 555-0100"
    edited = await numbers.http.put("/v1/registrations", json={**draft, "company_name": "Riverside Tenants"}, headers=owner)
    assert edited.status_code == 200, edited.text

    async def both():
        found = numbers.events.of("registration.saved", account_id)
        return found if len(found) == 2 else None

    first, second = await eventually(both, what="two registration.saved events")
    assert first["data"] == {
        "registration_id": saved.json()["registration_id"], "company_name": "Riverside Tenants Union",
        "website": draft["website"], "contact_email": draft["contact_email"], "contact_phone": "(512) 555-0100",
    }
    assert second["data"]["company_name"] == "Riverside Tenants" and second["subject"] == account_id


async def test_a_contact_phone_that_is_no_phone_number_is_named_before_submission(numbers, account_id):
    owner = numbers.headers(account_id, "owner-1", role="owner")
    await numbers.http.put("/v1/registrations", json={**a_draft().__dict__, "contact_phone": "call the office"}, headers=owner)

    refused = await numbers.http.post("/v1/registrations/submit", headers=owner)

    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["contact_phone"]
