"""A message's Media: list them, fetch one's JSON, and fetch its bytes (with the account's
credentials, as Twilio asks of media once HTTP Basic authentication for media is on)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from ..domain.records import Media
from ..domain.twilio_errors import TwilioError
from ..operations.outbound_messages import get_message
from .auth import CarrierDep
from .paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, list_envelope
from .representations import account_path, media_json

router = APIRouter()
MessageSid = Annotated[str, Path(alias="MessageSid")]
MediaSid = Annotated[str, Path(alias="Sid")]


class ListMediaQuery(BaseModel):
    page_size: int = Field(DEFAULT_PAGE_SIZE, alias="PageSize", ge=1, le=MAX_PAGE_SIZE)
    page: int = Field(0, alias="Page", ge=0)


@router.get("/Messages/{MessageSid}/Media.json", operation_id="ListMedia")
async def list_media(message_sid: MessageSid, query: Annotated[ListMediaQuery, Query()], carrier: CarrierDep) -> dict:
    message = get_message(carrier, message_sid)
    return list_envelope(
        message.media, key="media_list", path=f"{account_path(carrier.account_sid)}/Messages/{message_sid}/Media.json",
        filters={}, page=query.page, page_size=query.page_size, render=media_json,
    )


@router.get("/Messages/{MessageSid}/Media/{Sid}.json", operation_id="FetchMedia")
async def fetch_media(message_sid: MessageSid, sid: MediaSid, carrier: CarrierDep) -> dict:
    return media_json(_media(carrier, message_sid, sid))


@router.get("/Messages/{MessageSid}/Media/{Sid}", include_in_schema=False)
async def media_content(message_sid: MessageSid, sid: MediaSid, carrier: CarrierDep) -> Response:
    """The bytes themselves (not part of the REST API's description: what a MediaUrl points at)."""
    media = _media(carrier, message_sid, sid)
    return Response(content=media.data, media_type=media.content_type)


def _media(carrier, message_sid: str, sid: str) -> Media:
    message = get_message(carrier, message_sid)
    found = next((media for media in message.media if media.sid == sid), None)
    if found is None:
        raise TwilioError(20404, f"Media {sid}")
    return found
