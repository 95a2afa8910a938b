"""The carrier's Messaging API (A2P 10DLC) and the sandbox controls that decide its reviews."""

import httpx
import pytest

BUNDLE = "BU" + "1" * 32
A2P_PROFILE = "BU" + "2" * 32
SAMPLES = ["Your visit is tomorrow at 10. Reply STOP to opt out.", "Thanks, see you soon! Reply STOP to opt out."]


def campaign_form(brand_sid: str, **overrides) -> dict:
    return {
        "BrandRegistrationSid": brand_sid, "Description": "Appointment reminders and replies from staff to clients.",
        "MessageFlow": "Clients opt in on the booking form by ticking a box before they submit it.",
        "MessageSamples": SAMPLES, "UsAppToPersonUsecase": "CUSTOMER_CARE", "HasEmbeddedLinks": "false",
        "HasEmbeddedPhone": "false",
    } | overrides


async def new_brand(control) -> dict:
    response = await control.post("/v1/a2p/BrandRegistrations", data={
        "CustomerProfileBundleSid": BUNDLE, "A2PProfileBundleSid": A2P_PROFILE})
    assert response.status_code == 201, response.text
    return response.json()


async def approved_brand(control) -> dict:
    brand = await new_brand(control)
    assert (await control.post(f"/sandbox/a2p/brands/{brand['sid']}/review", json={"status": "APPROVED"})).status_code == 200
    return brand


async def new_service(control, name: str = "acme texting") -> dict:
    response = await control.post("/v1/Services", data={"FriendlyName": name, "UseInboundWebhookOnNumber": "true"})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_brand_starts_pending_and_the_review_decides_it(control):
    brand = await new_brand(control)
    assert brand["status"] == "PENDING" and brand["tcr_id"] is None and brand["errors"] == []

    approved = await control.post(f"/sandbox/a2p/brands/{brand['sid']}/review", json={"status": "APPROVED"})
    fetched = (await control.get(f"/v1/a2p/BrandRegistrations/{brand['sid']}")).json()

    assert approved.status_code == 200
    assert fetched["status"] == "APPROVED" and fetched["tcr_id"] and fetched["identity_status"] == "VERIFIED"


async def test_a_failed_brand_review_carries_its_reason(control):
    brand = await new_brand(control)

    without_reason = await control.post(f"/sandbox/a2p/brands/{brand['sid']}/review", json={"status": "FAILED"})
    await control.post(f"/sandbox/a2p/brands/{brand['sid']}/review",
                       json={"status": "FAILED", "failure_reason": "tax id does not match"})
    fetched = (await control.get(f"/v1/a2p/BrandRegistrations/{brand['sid']}")).json()

    assert without_reason.status_code == 422 and "failure_reason" in without_reason.text
    assert fetched["status"] == "FAILED" and fetched["failure_reason"] == "tax id does not match"
    assert fetched["errors"][0]["description"] == "tax id does not match"


async def test_reviews_of_unknown_registrations_are_404(control):
    brand = await control.post("/sandbox/a2p/brands/BN" + "0" * 32 + "/review", json={"status": "APPROVED"})
    campaign = await control.post("/sandbox/a2p/campaigns/QE" + "0" * 32 + "/review",
                                  json={"campaign_status": "VERIFIED"})
    fetched = await control.get("/v1/a2p/BrandRegistrations/BN" + "0" * 32)

    assert brand.status_code == campaign.status_code == fetched.status_code == 404
    assert fetched.json()["code"] == 20404


async def test_a_brand_needs_well_formed_bundles(control):
    response = await control.post("/v1/a2p/BrandRegistrations", data={
        "CustomerProfileBundleSid": "not-a-bundle", "A2PProfileBundleSid": A2P_PROFILE})

    assert response.status_code == 400 and "CustomerProfileBundleSid" in response.text


async def test_a_campaign_waits_for_an_approved_brand_then_its_review(control):
    brand, service = await new_brand(control), await new_service(control)
    path = f"/v1/Services/{service['sid']}/Compliance/Usa2p"

    too_early = await control.post(path, data=campaign_form(brand["sid"]))
    await control.post(f"/sandbox/a2p/brands/{brand['sid']}/review", json={"status": "APPROVED"})
    created = await control.post(path, data=campaign_form(brand["sid"]))
    campaign = created.json()
    await control.post(f"/sandbox/a2p/campaigns/{campaign['sid']}/review", json={"campaign_status": "VERIFIED"})
    verified = (await control.get(f"{path}/{campaign['sid']}")).json()
    fetched_service = (await control.get(f"/v1/Services/{service['sid']}")).json()

    assert too_early.status_code == 400 and "PENDING" in too_early.json()["message"]
    assert created.status_code == 201 and campaign["campaign_status"] == "PENDING"
    assert campaign["message_samples"] == SAMPLES
    assert verified["campaign_status"] == "VERIFIED" and verified["campaign_id"]
    assert fetched_service["us_app_to_person_registered"] is True


async def test_a_service_holds_one_live_campaign_and_a_failed_one_can_be_replaced(control):
    brand, service = await approved_brand(control), await new_service(control)
    path = f"/v1/Services/{service['sid']}/Compliance/Usa2p"
    first = (await control.post(path, data=campaign_form(brand["sid"]))).json()

    second = await control.post(path, data=campaign_form(brand["sid"]))
    await control.post(f"/sandbox/a2p/campaigns/{first['sid']}/review",
                       json={"campaign_status": "FAILED", "failure_reason": "opt-in not described"})
    failed = (await control.get(f"{path}/{first['sid']}")).json()
    replacement = await control.post(path, data=campaign_form(brand["sid"]))
    listed = (await control.get(path)).json()

    assert second.status_code == 400 and "already has a campaign" in second.json()["message"]
    assert failed["campaign_status"] == "FAILED" and failed["errors"][0]["description"] == "opt-in not described"
    assert replacement.status_code == 201
    assert [c["sid"] for c in listed["compliance"]] == [first["sid"], replacement.json()["sid"]]


async def test_campaign_samples_and_descriptions_are_checked(control):
    brand, service = await approved_brand(control), await new_service(control)
    path = f"/v1/Services/{service['sid']}/Compliance/Usa2p"

    short_sample = await control.post(path, data=campaign_form(brand["sid"], MessageSamples=["too short", SAMPLES[1]]))
    one_sample = await control.post(path, data=campaign_form(brand["sid"], MessageSamples=[SAMPLES[0]]))
    short_description = await control.post(path, data=campaign_form(brand["sid"], Description="reminders"))
    other_service = await control.get(f"/v1/Services/MG{'0' * 32}/Compliance/Usa2p")

    assert short_sample.status_code == 400 and "MessageSamples[0]" in short_sample.json()["message"]
    assert one_sample.status_code == 400 and "MessageSamples" in one_sample.text
    assert short_description.status_code == 400 and "Description" in short_description.text
    assert other_service.status_code == 404


async def test_a_number_joins_one_messaging_service_once(control, buy_number):
    number = await buy_number()
    service, other = await new_service(control), await new_service(control, "other")
    path = f"/v1/Services/{service['sid']}/PhoneNumbers"

    joined = await control.post(path, data={"PhoneNumberSid": number.sid})
    again = await control.post(path, data={"PhoneNumberSid": number.sid})
    elsewhere = await control.post(f"/v1/Services/{other['sid']}/PhoneNumbers", data={"PhoneNumberSid": number.sid})
    unknown = await control.post(path, data={"PhoneNumberSid": "PN" + "0" * 32})
    listed = (await control.get(path)).json()

    assert joined.status_code == 201 and joined.json()["phone_number"] == number.phone_number
    assert again.status_code == 400 and again.json()["code"] == 21710
    assert elsewhere.status_code == 400 and elsewhere.json()["code"] == 21712
    assert unknown.status_code == 404
    assert [n["sid"] for n in listed["phone_numbers"]] == [number.sid]


async def test_lists_page_like_twilio(control):
    services = [await new_service(control, f"service {n}") for n in range(3)]

    first = (await control.get("/v1/Services", params={"PageSize": 2})).json()
    second = (await control.get("/v1/Services", params={"PageSize": 2, "Page": 1})).json()

    assert [s["sid"] for s in first["services"] + second["services"]] == [s["sid"] for s in services]
    assert first["meta"]["next_page_url"].endswith("PageSize=2&Page=1") and first["meta"]["previous_page_url"] is None
    assert second["meta"]["next_page_url"] is None and second["meta"]["key"] == "services"


async def test_the_sdk_drives_the_messaging_api(twilio, carrier_url):
    twilio.messaging.base_url = carrier_url
    v1 = twilio.messaging.v1

    brand = await v1.brand_registrations.create_async(customer_profile_bundle_sid=BUNDLE, a2p_profile_bundle_sid=A2P_PROFILE)
    service = await v1.services.create_async(friendly_name="sdk service", usecase="customer_care")
    brands = await v1.brand_registrations.list_async()
    services = await v1.services.list_async()

    assert brand.status == "PENDING" and [b.sid for b in brands] == [brand.sid]
    assert [s.friendly_name for s in services] == ["sdk service"] and service.usecase == "customer_care"


async def test_the_control_view_shows_everything_and_resets(control, buy_number):
    brand, service = await approved_brand(control), await new_service(control)
    number = await buy_number()
    await control.post(f"/v1/Services/{service['sid']}/PhoneNumbers", data={"PhoneNumberSid": number.sid})
    await control.post(f"/v1/Services/{service['sid']}/Compliance/Usa2p", data=campaign_form(brand["sid"]))

    seen = (await control.get("/sandbox/a2p")).json()
    cleared = await control.delete("/sandbox/a2p")
    after = (await control.get("/sandbox/a2p")).json()

    assert [b["status"] for b in seen["brands"]] == ["APPROVED"]
    assert seen["services"][0]["phone_numbers"] == [number.phone_number]
    assert [c["brand_registration_sid"] for c in seen["campaigns"]] == [brand["sid"]]
    assert cleared.status_code == 204 and after == {"brands": [], "services": [], "campaigns": []}


@pytest.mark.parametrize("path", ["/v1/Services", "/v1/a2p/BrandRegistrations", "/sandbox/a2p"])
async def test_the_messaging_api_and_its_controls_need_credentials(carrier_url, path):
    async with httpx.AsyncClient(base_url=carrier_url) as anonymous:
        response = await anonymous.get(path)

    assert response.status_code == 401
