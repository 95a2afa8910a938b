"""Accounts and users: who may do what, in which account."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from uuid import uuid4

from shared.events import UserSnapshot

Role = Literal["owner", "admin", "texter"]
MANAGER_ROLES: frozenset[str] = frozenset({"owner", "admin"})


def new_id() -> str:
    return uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Account:
    name: str
    id: str = field(default_factory=new_id)
    default_region: str = "US"
    eager_number_purchase: bool = False
    created_at: datetime = field(default_factory=utcnow)


@dataclass
class User:
    account_id: str
    email: str
    name: str
    role: Role
    password_hash: str
    primary_cell: str | None = None
    primary_cell_area_code: str | None = None
    active: bool = True
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=utcnow)

    def snapshot(self, *, eager_number_purchase: bool) -> UserSnapshot:
        return UserSnapshot(
            user_id=self.id,
            email=self.email,
            name=self.name,
            role=self.role,
            primary_cell=self.primary_cell,
            primary_cell_area_code=self.primary_cell_area_code,
            active=self.active,
            eager_number_purchase=eager_number_purchase,
        )

    @property
    def can_manage_users(self) -> bool:
        return self.role in MANAGER_ROLES


@dataclass(frozen=True)
class UserChange:
    """One recorded change to a user: who made it, when, and the field's old and new value."""

    account_id: str
    user_id: str
    changed_by: str
    at: datetime
    field: str
    old: str | None
    new: str | None
    id: str = field(default_factory=new_id)
