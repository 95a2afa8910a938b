"""Single-use tickets for a browser's live stream: EventSource cannot send an Authorization
header, so the page mints a ticket with its bearer token and puts only the ticket in the URL.

Kept in the store, so that any gateway process can redeem what another minted; only a hash of a
ticket is stored, and redeeming one deletes it."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo import CollectionIndexes

STREAM_TICKETS = "stream_tickets"
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TICKET_LENGTH = 64

INDEXES = [
    # MongoDB removes expired tickets by itself; redeeming checks the expiry either way.
    CollectionIndexes(STREAM_TICKETS, [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="ticket_expiry")]),
]


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


class StreamTickets:
    def __init__(self, db: AsyncDatabase, lifetime: timedelta) -> None:
        self._tickets = db[STREAM_TICKETS]
        self._lifetime = lifetime

    async def mint(self, *, account_id: str, user_id: str) -> str:
        ticket = secrets.token_urlsafe(32)
        expires_at = datetime.now(UTC) + self._lifetime
        await self._tickets.insert_one({"_id": _digest(ticket), "account_id": account_id, "user_id": user_id, "expires_at": expires_at})
        return ticket

    async def redeem(self, ticket: str) -> tuple[str, str] | None:
        """The (account id, user id) a valid ticket was minted for; it cannot be used again."""
        if not ticket or len(ticket) > MAX_TICKET_LENGTH:
            return None
        document = await self._tickets.find_one_and_delete({"_id": _digest(ticket), "expires_at": {"$gt": datetime.now(UTC)}})
        return (document["account_id"], document["user_id"]) if document else None
