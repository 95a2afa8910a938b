"""Browser access tokens (HS256 JWTs signed with the gateway's own secret)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

_ALGORITHM = "HS256"
_AUDIENCE = "contacts-crm-web"


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    account_id: str
    role: str


class InvalidAccessToken(Exception):
    pass


def issue_access_token(claims: AccessClaims, secret: str, ttl: timedelta) -> str:
    now = datetime.now(UTC)
    payload = {
        "sub": claims.user_id,
        "acc": claims.account_id,
        "role": claims.role,
        "aud": _AUDIENCE,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(payload, secret, algorithm=_ALGORITHM)


def read_access_token(token: str, secret: str, max_lifetime: timedelta) -> AccessClaims:
    """The claims of a token this gateway issued, unexpired and made to live at most `max_lifetime`."""
    try:
        payload = jwt.decode(
            token, secret, algorithms=[_ALGORITHM], audience=_AUDIENCE,
            options={"require": ["aud", "iat", "exp", "sub", "acc", "role"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidAccessToken(str(error)) from error
    if payload["exp"] - payload["iat"] > max_lifetime.total_seconds():
        raise InvalidAccessToken(f"it is made to live longer than {max_lifetime}")
    return AccessClaims(user_id=payload["sub"], account_id=payload["acc"], role=payload["role"])
