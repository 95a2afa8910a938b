"""Who is calling a service, as vouched for by the gateway.

The gateway authenticates the browser, then signs a short-lived internal token
naming the account, the user and the role. Services trust nothing else: every
query they run is scoped to `Caller.account_id`.
"""

from datetime import UTC, datetime, timedelta
from typing import Literal

import jwt
from pydantic import BaseModel

CALLER_HEADER = "X-Caller-Token"
CORRELATION_HEADER = "X-Correlation-ID"
_ISSUER = "gateway"
_ALGORITHM = "HS256"

Role = Literal["owner", "admin", "texter", "system"]


class Caller(BaseModel):
    account_id: str | None
    user_id: str | None
    role: Role

    @property
    def is_system(self) -> bool:
        return self.role == "system"


class InvalidCallerToken(Exception):
    pass


def sign_caller_token(caller: Caller, secret: str, ttl: timedelta = timedelta(seconds=60)) -> str:
    now = datetime.now(UTC)
    claims = {"iss": _ISSUER, "iat": now, "exp": now + ttl, "acc": caller.account_id, "role": caller.role}
    if caller.user_id:
        claims["sub"] = caller.user_id
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def verify_caller_token(token: str, secret: str) -> Caller:
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], issuer=_ISSUER, options={"require": ["exp"]})
    except jwt.PyJWTError as error:
        raise InvalidCallerToken(str(error)) from error
    return Caller(account_id=claims.get("acc"), user_id=claims.get("sub"), role=claims["role"])
