"""Sign-up, login and user management: the gateway's own data."""

from datetime import timedelta

from fastapi import APIRouter, Request

from services.gateway.adapters.tokens import AccessClaims, issue_access_token
from services.gateway.domain.model import User
from services.gateway.entrypoints.deps import CurrentUser, PasswordsDep, RepositoryDep
from services.gateway.entrypoints.schemas import (
    Login, MePublic, Session, SignUp, SignUpAccepted, UserCreate, UserPublic, UserUpdate,
)
from services.gateway.entrypoints.permissions import permissions_of
from services.gateway.service_layer import accounts

router = APIRouter(prefix="/api", tags=["accounts"])


def _session_token(request: Request, user: User) -> str:
    settings = request.app.state.settings
    claims = AccessClaims(user_id=user.id, account_id=user.account_id, role=user.role)
    return issue_access_token(claims, settings.jwt_secret, timedelta(minutes=settings.access_token_minutes))


def _kick_relay(request: Request) -> None:
    request.app.state.runtime.relay.kick()


SIGN_UP_ACCEPTED = "Sign in with this email and password to continue (if the email was registered already, with its own password)"


@router.post("/accounts", status_code=202, response_model=SignUpAccepted, responses={
    202: {"description": "The same answer whether or not the email was registered already; sign in next"},
})
async def sign_up(body: SignUp, request: Request, repository: RepositoryDep, passwords: PasswordsDep) -> SignUpAccepted:
    owner = accounts.NewUser(body.email, body.name, body.password, "owner", body.primary_cell)
    await accounts.sign_up(repository=repository, passwords=passwords, account_name=body.account_name, owner=owner)
    _kick_relay(request)
    return SignUpAccepted(detail=SIGN_UP_ACCEPTED)


@router.post("/auth/login", response_model=Session, responses={
    401: {"description": "Wrong email or password"},
    429: {"description": "Too many failed logins for this email or address; Retry-After says when to try again"},
})
async def log_in(body: Login, request: Request, repository: RepositoryDep, passwords: PasswordsDep) -> Session:
    user = await accounts.log_in(
        repository=repository, passwords=passwords, throttle=request.app.state.login_throttle,
        email=body.email, password=body.password, address=request.client.host if request.client else "unknown",
    )
    return Session(access_token=_session_token(request, user), user=UserPublic.of(user))


@router.get("/me", response_model=MePublic)
async def me(user: CurrentUser) -> MePublic:
    return MePublic(**UserPublic.of(user).model_dump(), permissions=permissions_of(user.role))


@router.get("/users", response_model=list[UserPublic])
async def list_users(user: CurrentUser, repository: RepositoryDep) -> list[UserPublic]:
    """Everyone in the account; a personal cell only to owners, admins and its own user."""
    members = await repository.users_of_account(user.account_id)
    return [UserPublic.of(member, with_cell=user.can_manage_users or member.id == user.id) for member in members]


@router.post("/users", status_code=201, response_model=UserPublic)
async def add_user(
    body: UserCreate, request: Request, user: CurrentUser, repository: RepositoryDep, passwords: PasswordsDep
) -> UserPublic:
    new_user = accounts.NewUser(body.email, body.name, body.password, body.role, body.primary_cell)
    created = await accounts.add_user(repository=repository, passwords=passwords, acting=user, new_user=new_user)
    _kick_relay(request)
    return UserPublic.of(created)


@router.patch("/users/{user_id}", response_model=UserPublic)
async def update_user(user_id: str, body: UserUpdate, request: Request, user: CurrentUser, repository: RepositoryDep) -> UserPublic:
    changes = body.model_dump(exclude_unset=True)
    updated = await accounts.update_user(repository=repository, acting=user, user_id=user_id, changes=changes)
    _kick_relay(request)
    return UserPublic.of(updated)
