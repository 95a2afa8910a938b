"""In-memory stand-ins for the numbers ports, for fast tests of the handlers' rules."""

import copy
from dataclasses import replace
from datetime import datetime

from services.numbers.domain.geography import NumberSearch
from services.numbers.domain.lines import WORKABLE_STATES, Candidate, Line, LineState, Purchase, line_id
from services.numbers.service_layer.ports import NumbersPorts, NumberUnavailable, OwnedNumber, UserRecord


class FakeCarrier:
    def __init__(self, for_sale: dict[str, list[str]] | None = None) -> None:
        self.for_sale = for_sale or {}  # search key ("512", "TX", "US") -> numbers
        self.owned: dict[str, OwnedNumber] = {}
        self.purchases: list[str] = []
        self.searches: list[NumberSearch] = []
        self.sold_elsewhere: set[str] = set()  # still offered by searches, refused when bought

    async def search(self, search: NumberSearch, *, limit: int) -> list[str]:
        self.searches.append(search)
        key = search.area_code or search.in_region or "US"
        return [n for n in self.for_sale.get(key, []) if n not in self.owned][:limit]

    async def find_owned(self, phone_number: str) -> OwnedNumber | None:
        return self.owned.get(phone_number)

    async def buy(self, phone_number: str, *, friendly_name: str) -> OwnedNumber:
        if phone_number in self.owned or phone_number in self.sold_elsewhere:
            raise NumberUnavailable(f"{phone_number} is not available")
        self.purchases.append(phone_number)
        self.owned[phone_number] = OwnedNumber(phone_number, f"PN{len(self.owned):032d}", friendly_name)
        return self.owned[phone_number]


class FakeUsers:
    def __init__(self) -> None:
        self.users: dict[tuple[str, str], UserRecord] = {}

    async def save(self, user: UserRecord, *, as_of: datetime) -> bool:
        self.users[(user.account_id, user.user_id)] = user
        return True

    async def get(self, account_id: str, user_id: str) -> UserRecord | None:
        return self.users.get((account_id, user_id))

    async def in_account(self, account_id: str) -> dict[str, UserRecord]:
        return {user_id: user for (account, user_id), user in self.users.items() if account == account_id}

    async def with_primary_cell(self, e164: str) -> list[UserRecord]:
        return [user for user in self.users.values() if user.primary_cell == e164 and user.active]


class FakeLines:
    def __init__(self) -> None:
        self.lines: dict[str, Line] = {}
        self.leases: dict[str, tuple[str, datetime]] = {}
        self.events: list = []

    async def claim(self, *, account_id: str, user_id: str, reason: str, now: datetime) -> Line:
        key = line_id(account_id, user_id)
        self.lines.setdefault(key, Line(key, account_id, user_id, LineState.PURCHASING, reason=reason, requested_at=now))
        return copy.copy(self.lines[key])

    async def take(self, line_id: str, *, worker: str, now: datetime, until: datetime) -> Line | None:
        line = self.lines.get(line_id)
        lease = self.leases.get(line_id)
        if line is None or line.state not in WORKABLE_STATES or (lease and lease[1] >= now):
            return None
        if line.state == LineState.FAILED and line.next_attempt_at and line.next_attempt_at > now:
            return None
        self.leases[line_id] = (worker, until)
        return copy.copy(line)

    def _holds(self, line_id: str, worker: str) -> bool:
        return self.leases.get(line_id, ("",))[0] == worker

    async def choose_candidate(self, line_id: str, *, worker: str, candidate: Candidate | None, now: datetime) -> bool:
        if not self._holds(line_id, worker):
            return False
        self.lines[line_id] = replace(self.lines[line_id], state=LineState.PURCHASING, candidate=candidate)
        return True

    async def activate(self, line_id, *, worker, purchase: Purchase, number_id, area_code, now, events) -> bool:
        if not self._holds(line_id, worker):
            return False
        self.lines[line_id] = replace(
            self.lines[line_id], state=LineState.ACTIVE, phone_number=purchase.phone_number,
            carrier_sid=purchase.carrier_sid, number_id=number_id, area_code=area_code,
            selection_rule=purchase.selection_rule, candidate=None, last_error=None, activated_at=now,
        )
        self.leases.pop(line_id)
        self.events.extend(events)
        return True

    async def fail(self, line_id, *, worker, error, next_attempt_at, now, events=()) -> bool:
        if not self._holds(line_id, worker):
            return False
        self.events.extend(events)
        line = self.lines[line_id]
        self.lines[line_id] = replace(line, state=LineState.FAILED, last_error=error,
                                      next_attempt_at=next_attempt_at, attempts=line.attempts + 1)
        self.leases.pop(line_id)
        return True

    async def await_user(self, line_id, *, worker, reason, now) -> bool:
        if not self._holds(line_id, worker):
            return False
        self.lines[line_id] = replace(self.lines[line_id], state=LineState.AWAITING_USER, last_error=reason)
        self.leases.pop(line_id)
        return True

    async def get(self, line_id: str) -> Line | None:
        line = self.lines.get(line_id)
        return copy.copy(line) if line else None

    async def due(self, *, now, stale_before, limit) -> list[Line]:
        return [
            copy.copy(line) for line in self.lines.values()
            if line.state == LineState.FAILED and line.next_attempt_at and line.next_attempt_at <= now
        ][:limit]

    async def active_with_number(self, phone_number: str) -> Line | None:
        return next((l for l in self.lines.values() if l.state == LineState.ACTIVE and l.phone_number == phone_number), None)

    async def in_account(self, account_id: str, *, user_id: str | None = None) -> list[Line]:
        return [l for l in self.lines.values() if l.account_id == account_id and user_id in (None, l.user_id)]

    async def spares(self, account_id: str) -> list[Line]:
        return []


def fake_ports(carrier: FakeCarrier | None = None) -> NumbersPorts:
    return NumbersPorts(users=FakeUsers(), lines=FakeLines(), carrier=carrier or FakeCarrier())
