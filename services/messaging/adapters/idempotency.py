"""Idempotency keys, each stored with the fingerprint of the request it was first used for, so that
a retry replays that request and the same key with other content is refused, never replayed."""

from enum import StrEnum

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import derived_id, now

IDEMPOTENCY_KEYS = "idempotency_keys"


class KeyReused(Exception):
    """The key was first used for a request with other content."""

    def __init__(self, key: str, first_used_at) -> None:
        super().__init__(
            f"the idempotency key {key!r} was already used for a different request (first used at "
            f"{first_used_at.isoformat()}): send the same content again to retry it, or use a new key for a new request"
        )
        self.key = key


class Claim(StrEnum):
    NEW = "new"  # first use: go ahead and create
    REPEAT = "repeat"  # the same request again: answer with what it created


class IdempotencyKeys:
    """One document per (account, kind of request, key), looked up by `_id`."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._keys = db[IDEMPOTENCY_KEYS]

    async def claim(self, *, account_id: str, kind: str, key: str, fingerprint: str) -> Claim:
        """NEW when the key was free (now held for this request), REPEAT when it holds this same
        request already; KeyReused when it holds another."""
        key_id = derived_id("idempotency", account_id, kind, key)
        document = {"_id": key_id, "account_id": account_id, "kind": kind, "fingerprint": fingerprint, "at": now()}
        try:
            await self._keys.insert_one(document)
            return Claim.NEW
        except DuplicateKeyError:
            held = await self._keys.find_one({"_id": key_id})
        if held is None:  # released meanwhile: try again
            return await self.claim(account_id=account_id, kind=kind, key=key, fingerprint=fingerprint)
        if held["fingerprint"] != fingerprint:
            raise KeyReused(key, held["at"])
        return Claim.REPEAT

    async def release(self, *, account_id: str, kind: str, key: str, fingerprint: str) -> None:
        """Free a key whose request was refused after it was claimed, so that a retry is a first use."""
        await self._keys.delete_one({"_id": derived_id("idempotency", account_id, kind, key), "fingerprint": fingerprint})
