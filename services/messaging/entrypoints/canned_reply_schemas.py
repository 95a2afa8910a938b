"""What the canned replies API takes and gives."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.messaging.domain import canned_replies as rules
from shared import bounds


class CannedReplyActions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    add_tags: list[bounds.Label] = Field(default_factory=list, max_length=rules.MAX_TAGS, description="Tags put on the contact")
    opt_in_method: str | None = Field(
        default=None, max_length=rules.MAX_CONSENT_CHARS, description="Marks the texted phone Opt-In, with how the person consented"
    )
    opt_in_note: str | None = Field(default=None, max_length=rules.MAX_CONSENT_CHARS)
    close_conversation: bool = Field(default=False, description="The thread leaves the open inbox until the next text in it")


class CannedReplyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    body: str = Field(max_length=4000, description="The text, with merge fields such as {first_name|friend}")
    shortcut: str | None = Field(default=None, max_length=40, description='Typed after "/" in the composer')
    personal: bool = Field(default=False, description="The caller's own reply; shared replies are kept by owners and admins")
    actions: CannedReplyActions = Field(default_factory=CannedReplyActions)


class CannedReplyActionsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    add_tags: list[bounds.Label] | None = Field(default=None, max_length=rules.MAX_TAGS)
    opt_in_method: str | None = Field(default=None, max_length=rules.MAX_CONSENT_CHARS)
    opt_in_note: str | None = Field(default=None, max_length=rules.MAX_CONSENT_CHARS)
    close_conversation: bool | None = None


class CannedReplyUpdate(BaseModel):
    """Fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    body: str | None = Field(default=None, max_length=4000)
    shortcut: str | None = Field(default=None, max_length=40)
    actions: CannedReplyActionsUpdate | None = None


class CannedReplyPublic(BaseModel):
    canned_reply_id: str
    name: str
    body: str
    shortcut: str | None
    personal: bool
    owner_user_id: str | None
    actions: CannedReplyActions
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, reply: dict[str, Any]) -> "CannedReplyPublic":
        return cls(
            canned_reply_id=reply["_id"],
            personal=reply["owner_user_id"] is not None,
            **{name: reply[name] for name in ("name", "body", "shortcut", "owner_user_id", "actions", "created_at", "updated_at")},
        )


class CannedReplyList(BaseModel):
    canned_replies: list[CannedReplyPublic]
