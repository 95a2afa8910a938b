"""Who is calling a service, as vouched for by the gateway.

The gateway authenticates the browser, then signs a short-lived internal token
naming the account, the user and the role, for the one service it calls (the
token's audience). Services trust nothing else: each accepts only tokens meant
for itself and no older than its limit, and every query it runs is scoped to
`Caller.account_id`.
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
# Who a caller token is for: the service that must accept it, and no other.
Audience = Literal["contacts", "messaging", "numbers", "notifications"]
CALLER_TOKEN_TTL = timedelta(seconds=60)


class Caller(BaseModel):
    account_id: str | None
    user_id: str | None
    role: Role

    @property
    def is_system(self) -> bool:
        return self.role == "system"


class InvalidCallerToken(Exception):
    pass


def sign_caller_token(caller: Caller, secret: str, audience: Audience, ttl: timedelta = CALLER_TOKEN_TTL) -> str:
    """A token that `audience`, and only that service, accepts for `ttl`."""
    now = datetime.now(UTC)
    claims = {"iss": _ISSUER, "aud": audience, "iat": now, "exp": now + ttl, "acc": caller.account_id, "role": caller.role}
    if caller.user_id:
        claims["sub"] = caller.user_id
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def verify_caller_token(token: str, secret: str, audience: Audience, max_lifetime: timedelta) -> Caller:
    """The caller a token names, if it is signed with `secret`, meant for `audience`, unexpired,
    not issued in the future, and made to live no longer than `max_lifetime`."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[_ALGORITHM], issuer=_ISSUER, audience=audience,
            options={"require": ["iss", "aud", "iat", "exp", "role"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidCallerToken(str(error)) from error
    if claims["exp"] - claims["iat"] > max_lifetime.total_seconds():
        raise InvalidCallerToken(f"it is made to live longer than {max_lifetime.total_seconds():.0f} s")
    return Caller(account_id=claims.get("acc"), user_id=claims.get("sub"), role=claims["role"])
