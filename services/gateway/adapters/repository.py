"""Accounts and users in the gateway's own database."""

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.gateway.domain.errors import Conflict, EmailAlreadyRegistered
from services.gateway.domain.model import Account, User, UserChange, utcnow
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import new_document_with_events, update_with_events

ACCOUNTS = "accounts"
USERS = "users"
USER_CHANGES = "user_changes"
# On a user's document: when someone last signed up with their email (not a field of User).
SIGN_UP_ATTEMPTED_AT = "sign_up_attempted_at"

# How long a change to an account's owners may hold the account before another may take it
# (a process that died holding it), and how long a second change waits for the first.
OWNER_CHANGE_LEASE = timedelta(seconds=10)
OWNER_CHANGE_WAIT_SECONDS = 5.0

INDEXES = [
    CollectionIndexes(USERS, [
        IndexModel([("email", ASCENDING)], unique=True, name="email_unique"),
        IndexModel([("account_id", ASCENDING), ("created_at", ASCENDING)], name="account_users"),
        IndexModel([("account_id", ASCENDING), ("role", ASCENDING), ("active", ASCENDING)], name="account_roles"),
    ]),
    CollectionIndexes(USER_CHANGES, [
        IndexModel([("account_id", ASCENDING), ("user_id", ASCENDING), ("at", ASCENDING)], name="changes_of_user"),
    ]),
]


def _account_from(document: dict[str, Any]) -> Account:
    return Account(
        id=document["_id"],
        name=document["name"],
        default_region=document.get("default_region", "US"),
        eager_number_purchase=document.get("eager_number_purchase", False),
        created_at=document["created_at"],
    )


def _user_from(document: dict[str, Any]) -> User:
    fields = {name: document.get(name) for name in User.__dataclass_fields__ if name != "id"}
    return User(id=document["_id"], **fields)


def _user_document(user: User) -> dict[str, Any]:
    document = asdict(user)
    document["_id"] = document.pop("id")
    return document


class AccountsAndUsers:
    def __init__(self, db: AsyncDatabase) -> None:
        self._accounts = db[ACCOUNTS]
        self._users = db[USERS]
        self._changes = db[USER_CHANGES]

    async def add_account(self, account: Account) -> None:
        document = asdict(account)
        document["_id"] = document.pop("id")
        await self._accounts.insert_one(document)

    async def remove_account(self, account_id: str) -> None:
        await self._accounts.delete_one({"_id": account_id})

    async def get_account(self, account_id: str) -> Account | None:
        document = await self._accounts.find_one({"_id": account_id})
        return _account_from(document) if document else None

    async def add_user(self, user: User, events: list[Envelope]) -> None:
        try:
            await self._users.insert_one(new_document_with_events(_user_document(user), events))
        except DuplicateKeyError as error:
            raise EmailAlreadyRegistered(f"{user.email} is already registered") from error

    async def replace_user(self, user: User, events: list[Envelope]) -> None:
        fields = _user_document(user)
        fields.pop("_id")
        await self._users.update_one({"_id": user.id}, update_with_events({"$set": fields}, events))

    async def record_sign_up_attempt(self, user_id: str, *, at: datetime, unless_since: datetime, events: list[Envelope]) -> bool:
        """Note that someone signed up with this user's email, with `events`, unless one was noted
        since `unless_since`; whether it was."""
        noted = await self._users.update_one(
            {"_id": user_id, "$or": [{SIGN_UP_ATTEMPTED_AT: {"$exists": False}}, {SIGN_UP_ATTEMPTED_AT: {"$lt": unless_since}}]},
            update_with_events({"$set": {SIGN_UP_ATTEMPTED_AT: at}}, events),
        )
        return noted.modified_count == 1

    async def user_by_email(self, email: str) -> User | None:
        document = await self._users.find_one({"email": email})
        return _user_from(document) if document else None

    async def user_in_account(self, account_id: str, user_id: str) -> User | None:
        document = await self._users.find_one({"_id": user_id, "account_id": account_id})
        return _user_from(document) if document else None

    async def count_active_owners(self, account_id: str) -> int:
        return await self._users.count_documents({"account_id": account_id, "role": "owner", "active": True})

    @contextlib.asynccontextmanager
    async def owner_changes_held(self, account_id: str) -> AsyncIterator[None]:
        """One change at a time to who an account's active owners are, so that counting them and
        removing one cannot interleave with another removal (two owners demoting each other)."""
        token = uuid.uuid4().hex
        await self._take_owner_changes(account_id, token)
        try:
            yield
        finally:
            await self._accounts.update_one({"_id": account_id, "owner_change.token": token}, {"$unset": {"owner_change": ""}})

    async def _take_owner_changes(self, account_id: str, token: str) -> None:
        give_up_at = time.monotonic() + OWNER_CHANGE_WAIT_SECONDS
        while True:
            now = utcnow()
            free = {"_id": account_id, "$or": [{"owner_change": None}, {"owner_change.until": {"$lt": now}}]}
            taken = await self._accounts.update_one(free, {"$set": {"owner_change": {"token": token, "until": now + OWNER_CHANGE_LEASE}}})
            if taken.modified_count:
                return
            if time.monotonic() > give_up_at:
                raise Conflict("another change to this account's owners is under way: try again in a moment")
            await asyncio.sleep(0.05)

    async def record_change(self, change: UserChange) -> None:
        """Kept beside the user.updated event that also carries it (written first, in the user's outbox)."""
        document = asdict(change)
        document["_id"] = document.pop("id")
        await self._changes.insert_one(document)

    async def changes_of_user(self, account_id: str, user_id: str) -> list[UserChange]:
        cursor = self._changes.find({"account_id": account_id, "user_id": user_id}).sort("at", ASCENDING)
        return [UserChange(id=document.pop("_id"), **document) async for document in cursor]

    async def users_of_account(self, account_id: str) -> list[User]:
        cursor = self._users.find({"account_id": account_id}).sort("created_at", ASCENDING)
        return [_user_from(document) async for document in cursor]
