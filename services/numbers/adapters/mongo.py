"""MongoDB repositories: the users read model and the lines (which carry their own outbox)."""

import asyncio
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.numbers.domain.lines import WORKABLE_STATES, Candidate, Line, LineState, Purchase, line_id
from services.numbers.service_layer.ports import UserRecord
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import update_with_events

USERS_VIEW = "users_view"
LINES = "lines"
# Read models keyed by a phone number, so the voice webhook finds what it needs by `_id` alone:
# which line holds one of our numbers, and which users answer on a given cell phone.
NUMBER_OWNERS = "number_owners"
CELL_USERS = "cell_users"

INDEXES = [
    CollectionIndexes(
        USERS_VIEW,
        [IndexModel([("account_id", ASCENDING)], name="by_account"), IndexModel([("primary_cell", ASCENDING)], name="by_primary_cell")],
    ),
    CollectionIndexes(
        LINES,
        [
            IndexModel([("account_id", ASCENDING), ("user_id", ASCENDING)], name="by_account_user"),
            IndexModel([("phone_number", ASCENDING)], name="by_phone_number"),
            IndexModel([("state", ASCENDING), ("next_attempt_at", ASCENDING)], name="by_state_next_attempt"),
            IndexModel([("account_id", ASCENDING), ("state", ASCENDING)], name="by_account_state"),
        ],
    ),
]


class MongoUsersView:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[USERS_VIEW]
        self._cells = db[CELL_USERS]

    async def save(self, user: UserRecord, *, as_of: datetime) -> bool:
        document = {**user.__dict__, "as_of": as_of}
        key = _user_key(user.account_id, user.user_id)
        try:
            # Only an older (or no) stored revision matches; a newer one makes the upsert collide.
            before = await self._collection.find_one_and_update(
                {"_id": key, "as_of": {"$lt": as_of}}, {"$set": document}, upsert=True,
                return_document=ReturnDocument.BEFORE,
            )
        except DuplicateKeyError:
            return False
        await self._index_cell(key, user, previous_cell=before.get("primary_cell") if before else None)
        return True

    async def _index_cell(self, key: str, user: UserRecord, *, previous_cell: str | None) -> None:
        if previous_cell and previous_cell != user.primary_cell:
            await self._cells.update_one({"_id": previous_cell}, {"$unset": {f"users.{key}": ""}})
        if user.primary_cell:
            entry = {"account_id": user.account_id, "user_id": user.user_id}
            await self._cells.update_one({"_id": user.primary_cell}, {"$set": {f"users.{key}": entry}}, upsert=True)

    async def get(self, account_id: str, user_id: str) -> UserRecord | None:
        document = await self._collection.find_one({"_id": _user_key(account_id, user_id)})
        return _user_from(document) if document else None

    async def in_account(self, account_id: str) -> dict[str, UserRecord]:
        documents = await self._collection.find({"account_id": account_id}).to_list(None)
        return {doc["user_id"]: _user_from(doc) for doc in documents}

    async def with_primary_cell(self, e164: str) -> list[UserRecord]:
        entry = await self._cells.find_one({"_id": e164})
        if not entry:
            return []
        found = [await self.get(user["account_id"], user["user_id"]) for user in entry.get("users", {}).values()]
        return [user for user in found if user is not None and user.active and user.primary_cell == e164]

    async def index_cells(self) -> None:
        """Builds the by-cell read model for users stored before it existed."""
        async for document in self._collection.find({"primary_cell": {"$ne": None}}):
            await self._index_cell(document["_id"], _user_from(document), previous_cell=None)


class MongoLines:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[LINES]
        self._owners = db[NUMBER_OWNERS]

    async def claim(self, *, account_id: str, user_id: str, reason: str, now: datetime) -> Line:
        key = line_id(account_id, user_id)
        document = _new_line(key, account_id, user_id, reason, now)
        try:
            await self._collection.insert_one(document)
        except DuplicateKeyError:
            return await self.get(key)
        return _line_from(document)

    async def take(self, line_id: str, *, worker: str, now: datetime, until: datetime) -> Line | None:
        document = await self._collection.find_one_and_update(
            {
                "_id": line_id,
                "state": {"$in": [str(state) for state in WORKABLE_STATES]},
                "$and": [
                    {"$or": [{"lease": None}, {"lease.until": {"$lt": now}}]},
                    {"$or": [{"state": {"$ne": LineState.FAILED}}, {"next_attempt_at": None}, {"next_attempt_at": {"$lte": now}}]},
                ],
            },
            {"$set": {"lease": {"worker": worker, "until": until}, "updated_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return _line_from(document) if document else None

    async def choose_candidate(self, line_id: str, *, worker: str, candidate: Candidate | None, now: datetime) -> bool:
        stored = (
            {"phone_number": candidate.phone_number, "selection_rule": candidate.selection_rule, "spare_of": candidate.spare_of}
            if candidate else None
        )
        result = await self._collection.update_one(
            {"_id": line_id, "lease.worker": worker},
            {"$set": {"state": LineState.PURCHASING, "candidate": stored, "updated_at": now}},
        )
        return result.matched_count == 1

    async def activate(
        self,
        line_id: str,
        *,
        worker: str,
        purchase: Purchase,
        number_id: str,
        area_code: str,
        now: datetime,
        events: list[Envelope],
    ) -> bool:
        update = {
            "$set": {
                "state": LineState.ACTIVE,
                "phone_number": purchase.phone_number,
                "carrier_sid": purchase.carrier_sid,
                "number_id": number_id,
                "area_code": area_code,
                "selection_rule": purchase.selection_rule,
                "candidate": None,
                "last_error": None,
                "next_attempt_at": None,
                "lease": None,
                "activated_at": now,
                "updated_at": now,
                "carrier_answers_keywords": False,  # a new number's messaging service is not known to answer yet
            }
        }
        # The owner entry goes with the activation: the line stays the truth, so an entry for a line that
        # never activated (or was released since) is ignored by the lookup.
        _, result = await asyncio.gather(
            self._note_owner(purchase.phone_number, line_id),
            self._collection.update_one({"_id": line_id, "lease.worker": worker}, update_with_events(update, events)),
        )
        return result.matched_count == 1

    async def _note_owner(self, phone_number: str, line_id: str) -> None:
        await self._owners.update_one({"_id": phone_number}, {"$set": {"line_id": line_id}}, upsert=True)

    async def index_owners(self) -> None:
        """Builds the by-number read model for lines activated before it existed."""
        async for document in self._collection.find({"state": LineState.ACTIVE}, {"phone_number": 1}):
            if document.get("phone_number"):
                await self._note_owner(document["phone_number"], document["_id"])

    async def fail(
        self, line_id: str, *, worker: str, error: str, next_attempt_at: datetime | None, now: datetime,
        events: list[Envelope] = (),
    ) -> bool:
        update = {
            "$set": {
                "state": LineState.FAILED,
                "last_error": error,
                "next_attempt_at": next_attempt_at,
                "lease": None,
                "updated_at": now,
            },
            "$inc": {"attempts": 1},
        }
        result = await self._collection.update_one({"_id": line_id, "lease.worker": worker}, update_with_events(update, events))
        return result.matched_count == 1

    async def reopen(self, line_id: str, *, reason: str, now: datetime) -> bool:
        """A released line becomes wanted again (the user came back); its old number is a candidate
        only if the account kept it and nobody else took it."""
        document = await self._collection.find_one({"_id": line_id, "state": LineState.RELEASED})
        if document is None:
            return False
        kept = document.get("spare") and not document.get("spare_claimed_by") and document.get("phone_number")
        candidate = {"phone_number": document["phone_number"], "selection_rule": document["selection_rule"], "spare_of": line_id} if kept else None
        result = await self._collection.update_one(
            {"_id": line_id, "state": LineState.RELEASED, "spare_claimed_by": document.get("spare_claimed_by")},
            {"$set": {
                "state": LineState.PURCHASING, "candidate": candidate, "attempts": 0, "last_error": None,
                "next_attempt_at": None, "reason": reason, "requested_at": now, "updated_at": now,
                "spare": False, "spare_claimed_by": line_id if kept else None,
            }},
        )
        return result.matched_count == 1

    async def start_release(self, line_id: str, *, now: datetime) -> Line | None:
        document = await self._collection.find_one_and_update(
            {"_id": line_id, "state": LineState.ACTIVE},
            {"$set": {"state": LineState.RELEASING, "updated_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return _line_from(document) if document else None

    async def finish_release(self, line_id: str, *, spare: bool, now: datetime, events: list[Envelope]) -> bool:
        """RELEASING (given back at the carrier) or ACTIVE (kept as a spare) -> RELEASED, with its event."""
        from_state = LineState.ACTIVE if spare else LineState.RELEASING
        changes = {"state": LineState.RELEASED, "spare": spare, "spare_claimed_by": None, "released_at": now, "lease": None, "updated_at": now}
        if not spare:
            changes["messaging_service_sid"] = None
        update = {"$set": changes}
        result = await self._collection.update_one({"_id": line_id, "state": from_state}, update_with_events(update, events))
        return result.matched_count == 1

    async def spares(self, account_id: str) -> list[Line]:
        documents = await self._collection.find(
            {"account_id": account_id, "state": LineState.RELEASED, "spare": True, "spare_claimed_by": None}
        ).to_list(None)
        return [_line_from(doc) for doc in documents]

    async def claim_spare(self, spare_line_id: str, *, by_line_id: str, now: datetime) -> bool:
        """Compare-and-set: only one line can take a kept number (or the line that held it, taking it back)."""
        result = await self._collection.update_one(
            {"_id": spare_line_id, "state": {"$in": [LineState.RELEASED, LineState.PURCHASING]},
             "$or": [{"spare_claimed_by": None}, {"spare_claimed_by": by_line_id}]},
            {"$set": {"spare_claimed_by": by_line_id, "spare": False, "updated_at": now}},
        )
        return result.matched_count == 1

    async def mark_attached(self, line_id: str, *, messaging_service_sid: str, now: datetime) -> None:
        await self._collection.update_one(
            {"_id": line_id, "state": LineState.ACTIVE},
            {"$set": {"messaging_service_sid": messaging_service_sid, "updated_at": now}},
        )

    async def set_carrier_answers_keywords(self, line_id: str, *, number_id: str, answers: bool, now: datetime,
                                           events: list[Envelope]) -> bool:
        """Record whether the carrier answers the number's keywords, with its event; only while the line
        is active with that number (else False)."""
        update = {"$set": {"carrier_answers_keywords": answers, "updated_at": now}}
        result = await self._collection.update_one(
            {"_id": line_id, "state": LineState.ACTIVE, "number_id": number_id}, update_with_events(update, events)
        )
        return result.matched_count == 1

    async def releasing_stale(self, *, stale_before: datetime, limit: int) -> list[Line]:
        documents = await self._collection.find(
            {"state": LineState.RELEASING, "updated_at": {"$lt": stale_before}}
        ).limit(limit).to_list(None)
        return [_line_from(doc) for doc in documents]

    async def await_user(self, line_id: str, *, worker: str, reason: str, now: datetime) -> bool:
        result = await self._collection.update_one(
            {"_id": line_id, "lease.worker": worker},
            {"$set": {"state": LineState.AWAITING_USER, "last_error": reason, "lease": None, "updated_at": now}},
        )
        return result.matched_count == 1

    async def get(self, line_id: str) -> Line | None:
        document = await self._collection.find_one({"_id": line_id})
        return _line_from(document) if document else None

    async def due(self, *, now: datetime, stale_before: datetime, limit: int) -> list[Line]:
        documents = await self._collection.find(
            {
                "$or": [
                    {"state": LineState.FAILED, "next_attempt_at": {"$lte": now}},
                    {"state": LineState.PURCHASING, "updated_at": {"$lt": stale_before}},
                ]
            }
        ).limit(limit).to_list(None)
        return [_line_from(doc) for doc in documents if _lease_free(doc.get("lease"), now)]

    async def active_with_number(self, phone_number: str) -> Line | None:
        owner = await self._owners.find_one({"_id": phone_number})
        line = await self.get(owner["line_id"]) if owner else None
        return line if line and line.state == LineState.ACTIVE and line.phone_number == phone_number else None

    async def in_account(self, account_id: str, *, user_id: str | None = None) -> list[Line]:
        query: dict[str, Any] = {"account_id": account_id}
        if user_id is not None:
            query["user_id"] = user_id
        documents = await self._collection.find(query).sort([("requested_at", ASCENDING), ("_id", ASCENDING)]).to_list(None)
        return [_line_from(doc) for doc in documents]


def _user_key(account_id: str, user_id: str) -> str:
    return f"{account_id}:{user_id}"


def _user_from(document: dict[str, Any]) -> UserRecord:
    return UserRecord(**{name: document.get(name) for name in UserRecord.__dataclass_fields__})


def _new_line(key: str, account_id: str, user_id: str, reason: str, now: datetime) -> dict[str, Any]:
    return {
        "_id": key,
        "account_id": account_id,
        "user_id": user_id,
        "state": LineState.PURCHASING,
        "phone_number": None,
        "carrier_sid": None,
        "number_id": None,
        "area_code": None,
        "selection_rule": None,
        "candidate": None,
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": None,
        "lease": None,
        "reason": reason,
        "requested_at": now,
        "activated_at": None,
        "updated_at": now,
    }


def _line_from(document: dict[str, Any]) -> Line:
    candidate = document.get("candidate")
    return Line(
        id=document["_id"],
        account_id=document["account_id"],
        user_id=document["user_id"],
        state=LineState(document["state"]),
        phone_number=document.get("phone_number"),
        carrier_sid=document.get("carrier_sid"),
        number_id=document.get("number_id"),
        area_code=document.get("area_code"),
        selection_rule=document.get("selection_rule"),
        candidate=Candidate(candidate["phone_number"], candidate["selection_rule"], candidate.get("spare_of")) if candidate else None,
        attempts=document.get("attempts", 0),
        last_error=document.get("last_error"),
        next_attempt_at=document.get("next_attempt_at"),
        reason=document.get("reason"),
        requested_at=document.get("requested_at"),
        activated_at=document.get("activated_at"),
        updated_at=document.get("updated_at"),
        released_at=document.get("released_at"),
        spare=bool(document.get("spare")),
        messaging_service_sid=document.get("messaging_service_sid"),
        carrier_answers_keywords=bool(document.get("carrier_answers_keywords")),
    )


def _lease_free(lease: dict | None, now: datetime) -> bool:
    return not lease or lease["until"] < now
