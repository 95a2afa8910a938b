"""Calls.json: place an outbound call (recorded, then reported completed) and fetch it."""

from typing import Annotated

from fastapi import APIRouter, Form, Path
from pydantic import BaseModel, Field

from ..operations.voice_calls import PlaceCall, get_call, place_call
from .auth import CarrierDep
from .representations import call_json

router = APIRouter()


class CreateCallForm(BaseModel):
    to: str | None = Field(None, alias="To")
    from_: str | None = Field(None, alias="From")
    url: str | None = Field(None, alias="Url")
    twiml: str | None = Field(None, alias="Twiml")
    status_callback: str | None = Field(None, alias="StatusCallback")


@router.post("/Calls.json", status_code=201, operation_id="CreateCall")
async def create_call(form: Annotated[CreateCallForm, Form()], carrier: CarrierDep) -> dict:
    command = PlaceCall(to=form.to, from_number=form.from_, url=form.url, twiml=form.twiml,
                        status_callback=form.status_callback)
    return call_json(place_call(carrier, command))


@router.get("/Calls/{Sid}.json", operation_id="FetchCall")
async def fetch_call(sid: Annotated[str, Path(alias="Sid")], carrier: CarrierDep) -> dict:
    return call_json(get_call(carrier, sid))
