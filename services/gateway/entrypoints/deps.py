"""Typed dependencies: the repository, the signed-in user, the upstream client."""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from services.gateway.adapters.passwords import PasswordHashing
from services.gateway.adapters.repository import AccountsAndUsers
from services.gateway.adapters.tokens import InvalidAccessToken, read_access_token
from services.gateway.domain.model import User


def _repository(request: Request) -> AccountsAndUsers:
    return request.app.state.repository


RepositoryDep = Annotated[AccountsAndUsers, Depends(_repository)]


def _passwords(request: Request) -> PasswordHashing:
    return request.app.state.passwords


PasswordsDep = Annotated[PasswordHashing, Depends(_passwords)]


def bearer_token(request: Request) -> str:
    """The Authorization header's bearer token: the only place a browser token is read from."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    raise HTTPException(status_code=401, detail="sign in first: missing bearer token", headers={"WWW-Authenticate": "Bearer"})


async def _active_user(repository: AccountsAndUsers, account_id: str, user_id: str) -> User:
    user = await repository.user_in_account(account_id, user_id)
    if user is None or not user.active:
        raise HTTPException(status_code=401, detail="this user no longer exists or is deactivated")
    return user


async def _current_user(request: Request, repository: RepositoryDep, token: Annotated[str, Depends(bearer_token)]) -> User:
    settings = request.app.state.settings
    try:
        claims = read_access_token(token, settings.jwt_secret, timedelta(minutes=settings.access_token_minutes))
    except InvalidAccessToken as error:
        raise HTTPException(status_code=401, detail=f"invalid token: {error}", headers={"WWW-Authenticate": "Bearer"})
    user = await _active_user(repository, claims.account_id, claims.user_id)
    request.app.state.permissions.check(request, user.role)  # the gateway's permission matrix
    return user


async def _stream_user(request: Request, repository: RepositoryDep, ticket: str | None = None) -> User:
    """The user of the live stream: by a single-use ticket (EventSource cannot send headers), or
    by the bearer header for clients that can send one."""
    if ticket is None:
        return await _current_user(request, repository, bearer_token(request))
    holder = await request.app.state.stream_tickets.redeem(ticket)
    if holder is None:
        raise HTTPException(status_code=401, detail="this stream ticket is unknown, used or expired: mint a new one")
    user = await _active_user(repository, *holder)
    request.app.state.permissions.check(request, user.role)
    return user


CurrentUser = Annotated[User, Depends(_current_user)]
StreamUser = Annotated[User, Depends(_stream_user)]
