"""IncomingPhoneNumbers.json: buy, list, fetch, reconfigure and release the account's numbers."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Response
from pydantic import BaseModel, Field

from ..operations.owned_numbers import (
    NumberSettings,
    buy_number,
    get_number,
    list_numbers,
    release_number,
    update_number,
)
from .auth import CarrierDep
from .paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, list_envelope
from .representations import account_path, owned_number_json

router = APIRouter()
HTTP_METHOD = r"^(?i:GET|POST)$"


class UpdateIncomingNumberForm(BaseModel):
    friendly_name: str | None = Field(None, alias="FriendlyName")
    sms_url: str | None = Field(None, alias="SmsUrl")
    sms_method: str | None = Field(None, alias="SmsMethod", pattern=HTTP_METHOD)
    voice_url: str | None = Field(None, alias="VoiceUrl")
    voice_method: str | None = Field(None, alias="VoiceMethod", pattern=HTTP_METHOD)
    status_callback: str | None = Field(None, alias="StatusCallback")

    def as_settings(self) -> NumberSettings:
        return NumberSettings(friendly_name=self.friendly_name, sms_url=self.sms_url, sms_method=self.sms_method,
                              voice_url=self.voice_url, voice_method=self.voice_method,
                              status_callback=self.status_callback)


class CreateIncomingNumberForm(UpdateIncomingNumberForm):
    phone_number: str | None = Field(None, alias="PhoneNumber")
    area_code: int | None = Field(None, alias="AreaCode")


class ListIncomingNumbersQuery(BaseModel):
    phone_number: str | None = Field(None, alias="PhoneNumber")
    page_size: int = Field(DEFAULT_PAGE_SIZE, alias="PageSize", ge=1, le=MAX_PAGE_SIZE)
    page: int = Field(0, alias="Page", ge=0)


@router.post("/IncomingPhoneNumbers.json", status_code=201, operation_id="CreateIncomingPhoneNumber")
async def create_incoming_number(form: Annotated[CreateIncomingNumberForm, Form()], carrier: CarrierDep) -> dict:
    owned = buy_number(carrier, phone_number=form.phone_number, area_code=form.area_code,
                       configuration=form.as_settings())
    return owned_number_json(owned)


@router.get("/IncomingPhoneNumbers.json", operation_id="ListIncomingPhoneNumber")
async def read_incoming_numbers(query: Annotated[ListIncomingNumbersQuery, Query()], carrier: CarrierDep) -> dict:
    return list_envelope(
        list_numbers(carrier, phone_number=query.phone_number), key="incoming_phone_numbers",
        path=f"{account_path(carrier.account_sid)}/IncomingPhoneNumbers.json",
        filters={"PhoneNumber": query.phone_number}, page=query.page, page_size=query.page_size,
        render=owned_number_json,
    )


@router.get("/IncomingPhoneNumbers/{Sid}.json", operation_id="FetchIncomingPhoneNumber")
async def fetch_incoming_number(sid: Annotated[str, Path(alias="Sid")], carrier: CarrierDep) -> dict:
    return owned_number_json(get_number(carrier, sid))


@router.post("/IncomingPhoneNumbers/{Sid}.json", operation_id="UpdateIncomingPhoneNumber")
async def update_incoming_number(sid: Annotated[str, Path(alias="Sid")],
                                 form: Annotated[UpdateIncomingNumberForm, Form()], carrier: CarrierDep) -> dict:
    return owned_number_json(update_number(carrier, sid, form.as_settings()))


@router.delete("/IncomingPhoneNumbers/{Sid}.json", status_code=204, operation_id="DeleteIncomingPhoneNumber")
async def delete_incoming_number(sid: Annotated[str, Path(alias="Sid")], carrier: CarrierDep) -> Response:
    release_number(carrier, sid)
    return Response(status_code=204)
