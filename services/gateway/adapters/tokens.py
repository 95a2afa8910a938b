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


def read_access_token(token: str, secret: str) -> AccessClaims:
    try:
        payload = jwt.decode(token, secret, algorithms=[_ALGORITHM], audience=_AUDIENCE)
    except jwt.PyJWTError as error:
        raise InvalidAccessToken(str(error)) from error
    return AccessClaims(user_id=payload["sub"], account_id=payload["acc"], role=payload["role"])
