"""AvailablePhoneNumbers/{CountryCode}/Local.json: local numbers for sale."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from ..operations.owned_numbers import search_available
from ..phone_numbers.inventory import NumberSearch
from .auth import CarrierDep
from .paging import MAX_PAGE_SIZE, list_envelope
from .representations import account_path, available_number_json

router = APIRouter()
# Twilio offers a short list per search rather than pages of them.
DEFAULT_OFFER_SIZE = 30


class LocalNumberSearchQuery(BaseModel):
    area_code: int | None = Field(None, alias="AreaCode")
    in_region: str | None = Field(None, alias="InRegion", pattern=r"^[A-Za-z]{2}$")
    contains: str | None = Field(None, alias="Contains")
    sms_enabled: bool | None = Field(None, alias="SmsEnabled")
    voice_enabled: bool | None = Field(None, alias="VoiceEnabled")
    page_size: int = Field(DEFAULT_OFFER_SIZE, alias="PageSize", ge=1, le=MAX_PAGE_SIZE)


@router.get("/AvailablePhoneNumbers/{CountryCode}/Local.json", operation_id="ListAvailablePhoneNumberLocal")
async def read_available_local_numbers(country_code: Annotated[str, Path(alias="CountryCode")],
                                       query: Annotated[LocalNumberSearchQuery, Query()],
                                       carrier: CarrierDep) -> dict:
    search = NumberSearch(area_code=query.area_code, region=query.in_region, contains=query.contains)
    # Every sandbox number can text and call, so asking for numbers that can't finds none.
    wants_missing_capability = query.sms_enabled is False or query.voice_enabled is False
    offered = [] if wants_missing_capability else await search_available(carrier, country_code, search,
                                                                          limit=query.page_size)
    filters = {"AreaCode": query.area_code, "InRegion": query.in_region, "Contains": query.contains,
               "SmsEnabled": _flag(query.sms_enabled), "VoiceEnabled": _flag(query.voice_enabled)}
    path = f"{account_path(carrier.account_sid)}/AvailablePhoneNumbers/{country_code}/Local.json"
    return list_envelope(offered, key="available_phone_numbers", path=path, filters=filters, page=0,
                         page_size=query.page_size, render=available_number_json)


def _flag(value: bool | None) -> str | None:
    return None if value is None else str(value).lower()
