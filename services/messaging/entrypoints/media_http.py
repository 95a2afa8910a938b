"""HTTP routes of MMS media: upload an image for a text, read one back, and the signed links the
carrier fetches a text's media from."""

from uuid import uuid4

from fastapi import APIRouter, HTTPException, Request, Response

from services.messaging.domain import media_links
from services.messaging.domain.media import ALLOWED_CONTENT_TYPES, MAX_MEDIA_BYTES_PER_MESSAGE, InvalidMedia, image_type_of
from services.messaging.adapters.store.common import now
from services.messaging.entrypoints.deps import StoreDep, invalid
from services.messaging.entrypoints.media_schemas import IMAGE_ANSWER, IMAGE_BODY, MediaPublic
from shared.web import AccountCaller, SystemCaller

router = APIRouter(prefix="/v1/media", tags=["media"])
links_router = APIRouter(prefix="/v1/media-links", tags=["media"])


class UploadTooLarge(Exception):
    pass


async def _bounded_body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("", status_code=201, response_model=MediaPublic, openapi_extra={"requestBody": IMAGE_BODY})
async def upload_media(request: Request, caller: AccountCaller, store: StoreDep):
    """Store an image to attach to texts (`media_ids`); a text's media together may be at most 5 MB."""
    try:
        data = await _bounded_body(request, MAX_MEDIA_BYTES_PER_MESSAGE)
        content_type = image_type_of(data)
    except UploadTooLarge:
        raise HTTPException(status_code=413, detail=f"an image may be at most {MAX_MEDIA_BYTES_PER_MESSAGE} bytes") from None
    except InvalidMedia as error:
        return invalid(error.field, error.problem)
    document = {"_id": uuid4().hex, "account_id": caller.account_id, "user_id": caller.user_id, "content_type": content_type,
                "origin": "upload"}
    return MediaPublic.of(await store.add_media(document, data))


@router.get("/{media_id}", response_model=MediaPublic)
async def get_media(media_id: str, caller: AccountCaller, store: StoreDep):
    found = (await store.media_of_account(caller.account_id, [media_id])).get(media_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"media {media_id} not found")
    return MediaPublic.of(found)


@router.get("/{media_id}/content", response_class=Response, responses=IMAGE_ANSWER)
async def get_media_content(media_id: str, caller: AccountCaller, store: StoreDep):
    """The image itself, as sent or received."""
    found = await store.media_content(media_id, caller.account_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"media {media_id} not found")
    return _image(found, cache="private, max-age=86400")


@links_router.get("/{token}", response_class=Response, responses=IMAGE_ANSWER)
async def get_linked_media(token: str, caller: SystemCaller, store: StoreDep, request: Request):
    """The image a signed link names, for the carrier (the gateway serves it at /media/{token})."""
    settings = request.app.state.settings
    try:
        media_id = media_links.media_id_of(settings.media_link_secret, token, now=now())
    except media_links.ExpiredLink as error:
        raise HTTPException(status_code=410, detail=str(error)) from None
    except media_links.InvalidLink as error:  # forged or malformed: as if there were nothing there
        raise HTTPException(status_code=404, detail=str(error)) from None
    found = await store.media_content(media_id)
    if found is None:
        raise HTTPException(status_code=404, detail="the linked media no longer exists")
    return _image(found, cache="no-store")


def _image(document: dict, *, cache: str) -> Response:
    headers = {"Cache-Control": cache, "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
    content_type = document["content_type"]
    if content_type not in ALLOWED_CONTENT_TYPES:  # a received file of another kind is downloaded, never rendered
        content_type, headers["Content-Disposition"] = "application/octet-stream", "attachment"
    return Response(content=bytes(document["data"]), media_type=content_type, headers=headers)
