"""messaging.twilio.com/v1 routes (served on the sandbox's one host, under /v1)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from ..domain.twilio_errors import CATALOGUE, TwilioError
from ..twilio_api.auth import CarrierDep, require_credentials
from ..twilio_api.errors import _as_twilio_error, twilio_error_response
from .records import A2PRegistry, Brand, Campaign, MessagingService, ServicePhoneNumber
from .representations import MESSAGING_BASE, brand_json, campaign_json, service_json, service_number_json



class TwilioErrorsRoute(APIRoute):
    """Bad parameters answer as Twilio does (400 with code 20001 naming the parameter), not FastAPI's 422."""

    def get_route_handler(self):
        handle = super().get_route_handler()

        async def handler(request: Request):
            try:
                return await handle(request)
            except RequestValidationError as error:
                return twilio_error_response(_as_twilio_error(error))

        return handler


router = APIRouter(prefix="/v1", dependencies=[Depends(require_credentials)], tags=["Twilio Messaging API"],
                   route_class=TwilioErrorsRoute)

# Messaging API errors beyond the REST API's catalogue: code -> (HTTP status, message).
MESSAGING_ERRORS = {
    21710: (400, "Phone Number is already in the Messaging Service"),
    21712: (400, "Phone Number is associated with another Messaging Service"),
}


class MessagingError(TwilioError):
    @property
    def status(self) -> int:
        return MESSAGING_ERRORS[self.code][0] if self.code in MESSAGING_ERRORS else CATALOGUE[self.code][0]

    @property
    def message(self) -> str:
        base = MESSAGING_ERRORS[self.code][1] if self.code in MESSAGING_ERRORS else CATALOGUE[self.code][1]
        return f"{base}: {self.detail}" if self.detail else base


async def registry(request: Request) -> A2PRegistry:
    return request.app.state.a2p


RegistryDep = Annotated[A2PRegistry, Depends(registry)]


def _sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


class CreateBrandForm(BaseModel):
    customer_profile_bundle_sid: str = Field(alias="CustomerProfileBundleSid", pattern=r"^BU[0-9a-fA-F]{32}$")
    a2p_profile_bundle_sid: str = Field(alias="A2PProfileBundleSid", pattern=r"^BU[0-9a-fA-F]{32}$")
    brand_type: str = Field("STANDARD", alias="BrandType", pattern=r"^(STANDARD|SOLE_PROPRIETOR)$")
    mock: bool = Field(False, alias="Mock")


@router.post("/a2p/BrandRegistrations", status_code=201, operation_id="CreateBrandRegistrations")
async def create_brand(form: Annotated[CreateBrandForm, Form()], carrier: CarrierDep, a2p: RegistryDep) -> dict:
    brand = Brand(
        sid=_sid("BN"), account_sid=carrier.account_sid, customer_profile_bundle_sid=form.customer_profile_bundle_sid,
        a2p_profile_bundle_sid=form.a2p_profile_bundle_sid, brand_type=form.brand_type, mock=form.mock,
    )
    a2p.brands[brand.sid] = brand
    return brand_json(brand)


@router.get("/a2p/BrandRegistrations/{Sid}", operation_id="FetchBrandRegistrations")
async def fetch_brand(sid: Annotated[str, Path(alias="Sid")], a2p: RegistryDep) -> dict:
    return brand_json(_brand(a2p, sid))


class CreateServiceForm(BaseModel):
    friendly_name: str = Field(alias="FriendlyName", min_length=1, max_length=64)
    inbound_request_url: str | None = Field(None, alias="InboundRequestUrl")
    inbound_method: str = Field("POST", alias="InboundMethod", pattern=r"^(?i:GET|POST)$")
    status_callback: str | None = Field(None, alias="StatusCallback")
    usecase: str = Field("undeclared", alias="Usecase")
    use_inbound_webhook_on_number: bool = Field(False, alias="UseInboundWebhookOnNumber")


@router.post("/Services", status_code=201, operation_id="CreateService")
async def create_service(form: Annotated[CreateServiceForm, Form()], carrier: CarrierDep, a2p: RegistryDep) -> dict:
    service = MessagingService(
        sid=_sid("MG"), account_sid=carrier.account_sid, friendly_name=form.friendly_name,
        inbound_request_url=form.inbound_request_url, inbound_method=form.inbound_method.upper(),
        status_callback=form.status_callback, usecase=form.usecase,
        use_inbound_webhook_on_number=form.use_inbound_webhook_on_number,
    )
    a2p.services[service.sid] = service
    return service_json(service, campaign_registered=False)


@router.get("/Services/{Sid}", operation_id="FetchService")
async def fetch_service(sid: Annotated[str, Path(alias="Sid")], a2p: RegistryDep) -> dict:
    service = _service(a2p, sid)
    return service_json(service, campaign_registered=_verified_campaign(a2p, sid) is not None)


class AddPhoneNumberForm(BaseModel):
    phone_number_sid: str = Field(alias="PhoneNumberSid", pattern=r"^PN[0-9a-fA-F]{32}$")


@router.post("/Services/{ServiceSid}/PhoneNumbers", status_code=201, operation_id="CreatePhoneNumber")
async def add_phone_number(service_sid: Annotated[str, Path(alias="ServiceSid")],
                           form: Annotated[AddPhoneNumberForm, Form()], carrier: CarrierDep, a2p: RegistryDep) -> dict:
    service = _service(a2p, service_sid)
    owned = carrier.state.numbers.get(form.phone_number_sid)
    if owned is None:
        raise TwilioError(20404, f"IncomingPhoneNumber {form.phone_number_sid}")
    if form.phone_number_sid in service.phone_numbers:
        raise MessagingError(21710, owned.phone_number)
    if any(form.phone_number_sid in other.phone_numbers for other in a2p.services.values()):
        raise MessagingError(21712, owned.phone_number)
    number = ServicePhoneNumber(owned.sid, carrier.account_sid, service.sid, owned.phone_number)
    service.phone_numbers[number.sid] = number
    return service_number_json(number)


class ListQuery(BaseModel):
    page_size: int = Field(50, alias="PageSize", ge=1, le=1000)
    page: int = Field(0, alias="Page", ge=0)


def _page(items: list, *, key: str, url: str, query: ListQuery, render) -> dict:
    """One page of a list, with Twilio's `meta` block (page numbers from 0)."""
    start = query.page * query.page_size

    def page_url(page: int) -> str:
        return f"{url}?PageSize={query.page_size}&Page={page}"

    return {
        key: [render(item) for item in items[start:start + query.page_size]],
        "meta": {
            "first_page_url": page_url(0),
            "key": key,
            "next_page_url": page_url(query.page + 1) if start + query.page_size < len(items) else None,
            "page": query.page,
            "page_size": query.page_size,
            "previous_page_url": page_url(query.page - 1) if query.page > 0 else None,
            "url": page_url(query.page),
        },
    }


@router.get("/Services/{ServiceSid}/PhoneNumbers", operation_id="ListPhoneNumber")
async def list_phone_numbers(service_sid: Annotated[str, Path(alias="ServiceSid")],
                             query: Annotated[ListQuery, Query()], a2p: RegistryDep) -> dict:
    numbers = list(_service(a2p, service_sid).phone_numbers.values())
    return _page(numbers, key="phone_numbers", url=f"{MESSAGING_BASE}/Services/{service_sid}/PhoneNumbers",
                 query=query, render=service_number_json)


@router.get("/a2p/BrandRegistrations", operation_id="ListBrandRegistrations")
async def list_brands(query: Annotated[ListQuery, Query()], a2p: RegistryDep) -> dict:
    return _page(list(a2p.brands.values()), key="data", url=f"{MESSAGING_BASE}/a2p/BrandRegistrations",
                 query=query, render=brand_json)


@router.get("/Services", operation_id="ListService")
async def list_services(query: Annotated[ListQuery, Query()], a2p: RegistryDep) -> dict:
    def render(service: MessagingService) -> dict:
        return service_json(service, campaign_registered=_verified_campaign(a2p, service.sid) is not None)

    return _page(list(a2p.services.values()), key="services", url=f"{MESSAGING_BASE}/Services", query=query,
                 render=render)


class CreateCampaignForm(BaseModel):
    brand_registration_sid: str = Field(alias="BrandRegistrationSid")
    description: str = Field(alias="Description", min_length=40, max_length=4096)
    message_flow: str = Field(alias="MessageFlow", min_length=40, max_length=2048)
    message_samples: list[str] = Field(alias="MessageSamples", min_length=2, max_length=5)
    us_app_to_person_usecase: str = Field(alias="UsAppToPersonUsecase")
    has_embedded_links: bool = Field(alias="HasEmbeddedLinks")
    has_embedded_phone: bool = Field(alias="HasEmbeddedPhone")
    opt_in_message: str | None = Field(None, alias="OptInMessage")
    opt_out_message: str | None = Field(None, alias="OptOutMessage")
    help_message: str | None = Field(None, alias="HelpMessage")
    opt_in_keywords: list[str] | None = Field(None, alias="OptInKeywords")
    opt_out_keywords: list[str] | None = Field(None, alias="OptOutKeywords")
    help_keywords: list[str] | None = Field(None, alias="HelpKeywords")
    privacy_policy_url: str | None = Field(None, alias="PrivacyPolicyUrl")
    terms_and_conditions_url: str | None = Field(None, alias="TermsAndConditionsUrl")


@router.post("/Services/{MessagingServiceSid}/Compliance/Usa2p", status_code=201, operation_id="CreateUsAppToPerson")
async def create_campaign(service_sid: Annotated[str, Path(alias="MessagingServiceSid")],
                          form: Annotated[CreateCampaignForm, Form()], carrier: CarrierDep, a2p: RegistryDep) -> dict:
    _service(a2p, service_sid)
    brand = _brand(a2p, form.brand_registration_sid)
    if brand.status != "APPROVED":
        raise TwilioError(20001, f"BrandRegistrationSid: brand {brand.sid} is {brand.status}, not APPROVED")
    if any(c.messaging_service_sid == service_sid and c.campaign_status != "FAILED" for c in a2p.campaigns.values()):
        raise TwilioError(20001, f"MessagingServiceSid: {service_sid} already has a campaign")
    for index, sample in enumerate(form.message_samples):
        if not 20 <= len(sample) <= 1024:
            raise TwilioError(20001, f"MessageSamples[{index}]: must be 20 to 1024 characters")
    campaign = Campaign(sid=_sid("QE"), account_sid=carrier.account_sid, messaging_service_sid=service_sid,
                        **form.model_dump())
    a2p.campaigns[campaign.sid] = campaign
    return campaign_json(campaign)


@router.get("/Services/{MessagingServiceSid}/Compliance/Usa2p/{Sid}", operation_id="FetchUsAppToPerson")
async def fetch_campaign(service_sid: Annotated[str, Path(alias="MessagingServiceSid")],
                         sid: Annotated[str, Path(alias="Sid")], a2p: RegistryDep) -> dict:
    campaign = a2p.campaigns.get(sid)
    if campaign is None or campaign.messaging_service_sid != service_sid:
        raise TwilioError(20404, f"UsAppToPerson {sid}")
    return campaign_json(campaign)


@router.get("/Services/{MessagingServiceSid}/Compliance/Usa2p", operation_id="ListUsAppToPerson")
async def list_campaigns(service_sid: Annotated[str, Path(alias="MessagingServiceSid")],
                         query: Annotated[ListQuery, Query()], a2p: RegistryDep) -> dict:
    _service(a2p, service_sid)
    campaigns = [c for c in a2p.campaigns.values() if c.messaging_service_sid == service_sid]
    return _page(campaigns, key="compliance", url=f"{MESSAGING_BASE}/Services/{service_sid}/Compliance/Usa2p",
                 query=query, render=campaign_json)


def _brand(a2p: A2PRegistry, sid: str) -> Brand:
    brand = a2p.brands.get(sid)
    if brand is None:
        raise TwilioError(20404, f"BrandRegistration {sid}")
    return brand


def _service(a2p: A2PRegistry, sid: str) -> MessagingService:
    service = a2p.services.get(sid)
    if service is None:
        raise TwilioError(20404, f"Service {sid}")
    return service


def _verified_campaign(a2p: A2PRegistry, service_sid: str) -> Campaign | None:
    return next((c for c in a2p.campaigns.values()
                 if c.messaging_service_sid == service_sid and c.campaign_status == "VERIFIED"), None)
