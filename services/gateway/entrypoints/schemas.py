"""Request and response bodies of the gateway's own routes."""

from typing import Annotated

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from services.gateway.domain import password_policy
from services.gateway.domain.model import Role, User

# The longest address SMTP can carry (RFC 5321: a 256-octet path less its angle brackets).
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 200
# A login may carry any password an older policy allowed; a new one follows password_policy.
MAX_PASSWORD_LENGTH = 200
MAX_PHONE_LENGTH = 40

Email = Annotated[EmailStr, Field(max_length=MAX_EMAIL_LENGTH)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH)]
Password = Annotated[str, Field(
    min_length=password_policy.MIN_LENGTH, max_length=password_policy.MAX_LENGTH,
    description=f"{password_policy.MIN_LENGTH} to {password_policy.MAX_LENGTH} characters, hard to guess "
    "(not a common password, not built from the user's email or name); a 422 says why one is refused",
)]
Phone = Annotated[str, Field(max_length=MAX_PHONE_LENGTH)]


class UserCreate(BaseModel):
    email: Email
    name: Name
    password: Password
    role: Role = "texter"
    primary_cell: Phone | None = Field(default=None, description="The user's own cell phone; their texting number is bought in its area code")


class SignUp(BaseModel):
    account_name: Name
    name: Name
    email: Email
    password: Password
    primary_cell: Phone | None = None


class UserUpdate(BaseModel):
    """Only the fields sent change. `primary_cell` may be null (no cell); the others may be left
    out but never null, so their types take no None (a left-out field is not validated)."""

    name: str = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    primary_cell: Phone | None = None
    role: Role = None
    active: bool = None


class Login(BaseModel):
    email: str = Field(max_length=MAX_EMAIL_LENGTH)
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class UserPublic(BaseModel):
    id: str
    account_id: str
    email: str
    name: str
    role: Role
    primary_cell: str | None
    active: bool

    @classmethod
    def of(cls, user: User, *, with_cell: bool = True) -> "UserPublic":
        return cls(
            id=user.id, account_id=user.account_id, email=user.email, name=user.name,
            role=user.role, primary_cell=user.primary_cell if with_cell else None, active=user.active,
        )


class MePublic(UserPublic):
    permissions: list[str] = Field(
        description='The public routes ("METHOD /api/path") this user\'s role may call; the web client shows only those'
    )


class Session(BaseModel):
    access_token: str
    token_type: str = "bearer"
    user: UserPublic


class StreamTicket(BaseModel):
    ticket: str
    expires_in: int = Field(description="Seconds left to open the stream with it, once")


class SignUpAccepted(BaseModel):
    """The same answer whether or not the email was registered already, so that sign-up tells
    nobody which emails are."""

    detail: str = Field(description="What to do next: sign in with the email and password just sent")
