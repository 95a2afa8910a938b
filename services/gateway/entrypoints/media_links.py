"""The carrier fetches a text's images here (Twilio's MediaUrl): no sign-in, the signed link is the
credential. The messaging service checks the link's signature and expiry and answers the image."""

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.entrypoints.webhooks import GATEWAY

router = APIRouter(tags=["media"])
MEDIA_LINK_PATH = "/media/{token}"
# What a link can look like (<media id>.<expiry>.<signature>): anything else is refused here.
_TOKEN = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_PASSED_HEADERS = ("content-type", "content-length", "cache-control", "x-content-type-options")


@router.get(MEDIA_LINK_PATH, include_in_schema=False)
async def linked_media(token: str, request: Request) -> StreamingResponse:
    if not _TOKEN.match(token):
        raise HTTPException(status_code=404, detail="not a media link")
    upstream = await request.app.state.upstream.send("messaging", "GET", f"/v1/media-links/{token}", caller=GATEWAY, stream=True)
    headers = {name: value for name, value in upstream.headers.items() if name.lower() in _PASSED_HEADERS}
    return StreamingResponse(upstream.aiter_raw(), status_code=upstream.status_code, headers=headers,
                             background=BackgroundTask(upstream.aclose))
