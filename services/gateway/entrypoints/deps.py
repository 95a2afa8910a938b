"""Typed dependencies: the repository, the signed-in user, the upstream client."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from services.gateway.adapters.repository import AccountsAndUsers
from services.gateway.adapters.tokens import InvalidAccessToken, read_access_token
from services.gateway.domain.model import User


def _repository(request: Request) -> AccountsAndUsers:
    return request.app.state.repository


RepositoryDep = Annotated[AccountsAndUsers, Depends(_repository)]


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    # EventSource cannot send headers, so the live stream may carry the token in the query.
    if request.url.path.endswith("/stream") and request.query_params.get("access_token"):
        return request.query_params["access_token"]
    raise HTTPException(status_code=401, detail="sign in first: missing bearer token", headers={"WWW-Authenticate": "Bearer"})


async def _current_user(request: Request, repository: RepositoryDep, token: Annotated[str, Depends(bearer_token)]) -> User:
    try:
        claims = read_access_token(token, request.app.state.settings.jwt_secret)
    except InvalidAccessToken as error:
        raise HTTPException(status_code=401, detail=f"invalid token: {error}", headers={"WWW-Authenticate": "Bearer"})
    user = await repository.user_in_account(claims.account_id, claims.user_id)
    if user is None or not user.active:
        raise HTTPException(status_code=401, detail="this user no longer exists or is deactivated")
    return user


CurrentUser = Annotated[User, Depends(_current_user)]
