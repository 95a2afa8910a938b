"""Request and response bodies of the gateway's own routes."""

from pydantic import BaseModel, EmailStr, Field

from services.gateway.domain.model import Account, Role, User


class UserCreate(BaseModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)
    role: Role = "texter"
    primary_cell: str | None = Field(default=None, description="The user's own cell phone; their texting number is bought in its area code")


class SignUp(BaseModel):
    account_name: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    password: str = Field(min_length=10, max_length=200)
    primary_cell: str | None = None


class UserUpdate(BaseModel):
    """Only the fields sent change. `primary_cell` may be null (no cell); the others may be left
    out but never null, so their types take no None (a left-out field is not validated)."""

    name: str = Field(default=None, min_length=1, max_length=200)
    primary_cell: str | None = None
    role: Role = None
    active: bool = None


class Login(BaseModel):
    email: str
    password: str


class UserPublic(BaseModel):
    id: str
    account_id: str
    email: str
    name: str
    role: Role
    primary_cell: str | None
    active: bool

    @classmethod
    def of(cls, user: User) -> "UserPublic":
        return cls(
            id=user.id, account_id=user.account_id, email=user.email, name=user.name,
            role=user.role, primary_cell=user.primary_cell, active=user.active,
        )


class AccountPublic(BaseModel):
    id: str
    name: str

    @classmethod
    def of(cls, account: Account) -> "AccountPublic":
        return cls(id=account.id, name=account.name)


class Session(BaseModel):
    access_token: str
    token_type: str = "bearer"
    user: UserPublic


class StreamTicket(BaseModel):
    ticket: str
    expires_in: int = Field(description="Seconds left to open the stream with it, once")


class SignedUp(Session):
    account: AccountPublic
