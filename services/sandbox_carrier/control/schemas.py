import base64
import binascii
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..domain.destinations import SCRIPTABLE_ERRORS
from ..domain.faults import FaultedOperation

E164 = r"^\+[1-9]\d{1,14}$"


class InboundMedia(BaseModel):
    content_type: str = Field(pattern=r"^[a-z]+/[a-zA-Z0-9.+-]+$", description="as the phone labelled it, e.g. image/jpeg")
    content_base64: str = Field(min_length=4, max_length=7_000_000, description="the file, base64-encoded (at most 5 MB)")

    def data(self) -> bytes:
        return base64.b64decode(self.content_base64, validate=True)


class InboundMessageRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", pattern=E164)
    to: str = Field(pattern=E164)
    body: str = ""
    media: list[InboundMedia] = Field(default_factory=list, max_length=10, description="an MMS: the files the phone sent")
    duplicate: bool = False
    copies: int = Field(1, ge=1, le=10, description="how many times the webhook is sent (a duplicate is 2)")
    messaging_service_sid: str | None = Field(None, pattern=r"^MG[0-9a-fA-F]{32}$")

    @model_validator(mode="after")
    def readable_media(self) -> "InboundMessageRequest":
        for index, item in enumerate(self.media):
            try:
                item.data()
            except (binascii.Error, ValueError):
                raise ValueError(f"media[{index}].content_base64 is not base64") from None
        if not self.body and not self.media:
            raise ValueError("give a body, media, or both")
        return self


class InboundCallRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", pattern=E164)
    to: str = Field(pattern=E164)


class BehaviourRequest(BaseModel):
    phone_number: str = Field(pattern=E164)
    error_code: int | None = Field(None, description="null removes the behaviour")
    delivery_status: Literal["undelivered", "failed"] = "undelivered"

    @model_validator(mode="after")
    def known_error(self) -> "BehaviourRequest":
        if self.error_code is not None and self.error_code not in SCRIPTABLE_ERRORS:
            raise ValueError(f"error_code must be one of {sorted(SCRIPTABLE_ERRORS)}")
        return self


class ExhaustionRequest(BaseModel):
    exhausted: bool


class FaultRequest(BaseModel):
    http_status: Literal[429, 500, 503] | None = None
    mode: Literal["timeout"] | None = None
    count: int = Field(1, ge=1)
    rate: float | None = Field(None, gt=0, le=1, description="instead of count: this share of every create, until cleared")
    hold_seconds: float | None = Field(None, gt=0, description="timeout mode: how long to stall")
    message_created: bool = Field(True, description="timeout mode: create the message before stalling")
    operation: FaultedOperation = Field("create_message", description="the request that answers with the fault")

    @model_validator(mode="after")
    def one_kind(self) -> "FaultRequest":
        if (self.http_status is None) == (self.mode is None):
            raise ValueError("give exactly one of http_status or mode")
        if self.mode == "timeout" and self.operation != "create_message":
            raise ValueError("timeout faults apply to sending a text only")
        return self


class StatusCallbackReplays(BaseModel):
    model_config = ConfigDict(extra="forbid")

    copies: int = Field(1, ge=1, le=10, description="how many times each status callback is sent")
    shuffle: bool = Field(False, description="send each message's callbacks in random order, after its last step")
