"""HTTP Basic with the sandbox account's SID and auth token, as Twilio's API wants."""

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import Depends, Path, Request

from ..domain.twilio_errors import TwilioError
from ..runtime import Carrier


# The dependencies are async although they never wait: FastAPI runs a sync dependency in a worker
# thread, which at hundreds of requests a second cost more than everything else a request does.


async def get_carrier(request: Request) -> Carrier:
    return request.app.state.carrier


CarrierDep = Annotated[Carrier, Depends(get_carrier)]


async def require_credentials(request: Request, carrier: CarrierDep) -> None:
    """401 with Twilio's 20003 unless the request carries the sandbox account's credentials."""
    username, password = _basic_credentials(request.headers.get("authorization", ""))
    expected_user, expected_password = carrier.settings.account_sid, carrier.settings.auth_token
    # `&`, not `and`: both comparisons always run, so timing doesn't tell which half was wrong.
    if not (hmac.compare_digest(username, expected_user) & hmac.compare_digest(password, expected_password)):
        raise TwilioError(20003)


async def require_account(
    account_sid: Annotated[str, Path(alias="AccountSid")],
    carrier: CarrierDep,
    _: Annotated[None, Depends(require_credentials)],
) -> None:
    """Twilio answers 404 for an account other than the one authenticated."""
    if account_sid != carrier.account_sid:
        raise TwilioError(20404, f"Account {account_sid}")


def _basic_credentials(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    username, _, password = decoded.partition(":")
    return username, password
