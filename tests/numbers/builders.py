"""Test data: users and requests as the gateway and messaging would publish them."""

import random
import uuid

import phonenumbers

from shared.events import Envelope, NumberNeeded, UserCreated, UserSnapshot


def new_user_id() -> str:
    return f"user-{uuid.uuid4().hex[:12]}"


def cell_in(area_code: str) -> str:
    """A fresh, valid US number in `area_code` (for a user's primary cell)."""
    while True:
        candidate = f"+1{area_code}{random.randrange(200, 1000)}{random.randrange(10_000):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)) and candidate[5:8] != "555":
            return candidate


def user_created(
    account_id: str, user_id: str | None = None, *, area_code: str = "512", role: str = "texter",
    eager: bool = False, name: str = "Dana Texter", active: bool = True,
) -> Envelope:
    user_id = user_id or new_user_id()
    snapshot = UserSnapshot(
        user_id=user_id,
        email=f"{user_id}@example.org",
        name=name,
        role=role,
        primary_cell=cell_in(area_code),
        primary_cell_area_code=area_code,
        active=active,
        eager_number_purchase=eager,
    )
    return Envelope.wrap(UserCreated(user=snapshot), account_id=account_id, subject=user_id)


def number_needed(account_id: str, user_id: str, *, subject: str | None = None) -> Envelope:
    return Envelope.wrap(NumberNeeded(user_id=user_id), account_id=account_id, subject=subject or user_id)
