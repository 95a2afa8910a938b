from fastapi import APIRouter, Depends

from . import available_numbers, calls, incoming_numbers, media, messages
from .auth import require_account

ACCOUNT_PREFIX = "/2010-04-01/Accounts/{AccountSid}"


def twilio_router() -> APIRouter:
    router = APIRouter(prefix=ACCOUNT_PREFIX, dependencies=[Depends(require_account)], tags=["Twilio API"])
    for part in (messages, media, available_numbers, incoming_numbers, calls):
        router.include_router(part.router)
    return router
