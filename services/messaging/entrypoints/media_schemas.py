"""What the media routes give: a medium as a text or a thread shows it."""

from typing import Any

from pydantic import BaseModel, Field, model_validator

from services.messaging.domain.media import ALLOWED_CONTENT_TYPES

IMAGE_BODY = {
    "required": True,
    "description": "The image itself (JPEG, PNG or GIF, at most 5 MB), as the whole request body; "
    "its type is read from its bytes, whatever Content-Type says",
    "content": {content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in sorted(ALLOWED_CONTENT_TYPES)},
}
IMAGE_ANSWER = {200: {"description": "the image's bytes", "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}}}}


def content_path(media_id: str) -> str:
    """Where the signed-in web client fetches a medium (the gateway's public path)."""
    return f"/api/media/{media_id}/content"


class MediaPublic(BaseModel):
    media_id: str
    content_type: str
    size: int = Field(description="bytes")
    url: str = Field(description="where the signed-in client fetches it (with its bearer token)")

    @model_validator(mode="before")
    @classmethod
    def _with_url(cls, value: Any) -> Any:
        if isinstance(value, dict) and "url" not in value and "media_id" in value:
            return {**value, "url": content_path(value["media_id"])}
        return value

    @classmethod
    def of(cls, document: dict) -> "MediaPublic":
        return cls(media_id=document["_id"], content_type=document["content_type"], size=document["size"])
