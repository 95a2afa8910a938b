"""The A2P 10DLC port over Twilio's Messaging API (messaging.twilio.com, or the sandbox), through the SDK."""

from dataclasses import dataclass

from twilio.rest import Client

from services.numbers.adapters.twilio_carrier import CarrierError, _calling
from services.numbers.domain.registration import RegistrationDraft
from services.numbers.service_layer.ports import CampaignReview, BrandReview
from shared.keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS

ALREADY_IN_THIS_SERVICE = 21710
# Lists read in one page: an account has few brands, services and campaigns.
LIST_PAGE_SIZE = 1000
FAILED = "FAILED"


@dataclass(frozen=True)
class MessagingWebhooks:
    inbound_url: str
    status_url: str

    @classmethod
    def at_gateway(cls, gateway_public_url: str) -> "MessagingWebhooks":
        base = gateway_public_url.rstrip("/")
        return cls(f"{base}/webhooks/twilio/messages/inbound", f"{base}/webhooks/twilio/messages/status")


class TwilioA2P:
    def __init__(self, client: Client, webhooks: MessagingWebhooks, *, base_url: str) -> None:
        client.messaging.base_url = base_url.rstrip("/")
        self._v1 = client.messaging.v1
        self._webhooks = webhooks

    async def register_brand(self, draft: RegistrationDraft) -> str:
        brand = await _calling(self._v1.brand_registrations.create_async(
            customer_profile_bundle_sid=draft.customer_profile_bundle_sid,
            a2p_profile_bundle_sid=draft.a2p_profile_bundle_sid,
            brand_type=draft.brand_type,
        ))
        return brand.sid

    async def brand_review(self, brand_sid: str) -> BrandReview:
        brand = await _calling(self._v1.brand_registrations(brand_sid).fetch_async())
        return BrandReview(status=str(brand.status), reason=_reason(brand.failure_reason, brand.errors))

    async def create_service(self, *, friendly_name: str, use_case: str) -> str:
        service = await _calling(self._v1.services.create_async(
            friendly_name=friendly_name[:64],
            inbound_request_url=self._webhooks.inbound_url,
            inbound_method="POST",
            status_callback=self._webhooks.status_url,
            usecase=use_case.lower(),
            # Each number keeps its own SMS webhook (the gateway's), so replies route as before.
            use_inbound_webhook_on_number=True,
        ))
        return service.sid

    async def register_campaign(self, *, service_sid: str, brand_sid: str, draft: RegistrationDraft) -> str:
        campaign = await _calling(self._v1.services(service_sid).us_app_to_person.create_async(
            brand_registration_sid=brand_sid,
            description=draft.description,
            message_flow=draft.message_flow,
            message_samples=list(draft.sample_messages),
            us_app_to_person_usecase=draft.use_case,
            has_embedded_links=draft.has_embedded_links,
            has_embedded_phone=draft.has_embedded_phone,
            opt_out_keywords=list(OPT_OUT_KEYWORDS),  # every one the product honours
            opt_in_keywords=list(OPT_IN_KEYWORDS),
            help_keywords=list(HELP_KEYWORDS),
            privacy_policy_url=draft.privacy_policy_url,
            terms_and_conditions_url=draft.terms_and_conditions_url or None,
        ))
        return campaign.sid

    async def campaign_review(self, *, service_sid: str, campaign_sid: str) -> CampaignReview:
        campaign = await _calling(self._v1.services(service_sid).us_app_to_person(campaign_sid).fetch_async())
        return CampaignReview(status=str(campaign.campaign_status), reason=_reason(None, campaign.errors))

    async def add_number(self, *, service_sid: str, number_sid: str) -> None:
        try:
            await _calling(self._v1.services(service_sid).phone_numbers.create_async(phone_number_sid=number_sid))
        except CarrierError as error:
            if getattr(error.__cause__, "code", None) != ALREADY_IN_THIS_SERVICE:
                raise

    async def find_brand(self, draft: RegistrationDraft) -> str | None:
        brands = await _calling(self._v1.brand_registrations.list_async(page_size=LIST_PAGE_SIZE))
        return next((brand.sid for brand in brands
                     if brand.customer_profile_bundle_sid == draft.customer_profile_bundle_sid
                     and brand.a2p_profile_bundle_sid == draft.a2p_profile_bundle_sid and str(brand.status) != FAILED), None)

    async def find_service(self, *, friendly_name: str) -> str | None:
        services = await _calling(self._v1.services.list_async(page_size=LIST_PAGE_SIZE))
        return next((service.sid for service in services if service.friendly_name == friendly_name[:64]), None)

    async def find_campaign(self, *, service_sid: str) -> str | None:
        campaigns = await _calling(self._v1.services(service_sid).us_app_to_person.list_async(page_size=LIST_PAGE_SIZE))
        return next((campaign.sid for campaign in campaigns if str(campaign.campaign_status) != FAILED), None)


def _reason(failure_reason: str | None, errors: list | None) -> str | None:
    described = [str(error.get("description") or error) for error in errors or [] if error]
    return failure_reason or ("; ".join(described) if described else None)
