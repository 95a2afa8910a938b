"""Read-side handlers: who has which number, and where a call to a number goes."""

from dataclasses import dataclass

from services.numbers.domain.lines import Line, line_id
from services.numbers.service_layer.ports import NumbersPorts, UserRecord

ROLES_THAT_SEE_EVERY_LINE = frozenset({"owner", "admin", "system"})


@dataclass(frozen=True)
class LineWithUser:
    line: Line
    user: UserRecord | None


@dataclass(frozen=True)
class CallForward:
    """Dial `forward_to` showing `caller_id`; `forward_to` None means nobody takes the call."""

    forward_to: str | None
    caller_id: str
    line: Line | None


async def lines_visible_to(*, ports: NumbersPorts, account_id: str, user_id: str | None, role: str) -> list[LineWithUser]:
    """Every line of the account for owners and admins; a texter sees only their own."""
    only_user = None if role in ROLES_THAT_SEE_EVERY_LINE else (user_id or "")
    lines = await ports.lines.in_account(account_id, user_id=only_user)
    users = await ports.users.in_account(account_id)
    return [LineWithUser(line, users.get(line.user_id)) for line in lines]


async def line_of(*, ports: NumbersPorts, account_id: str, user_id: str) -> LineWithUser | None:
    line = await ports.lines.get(line_id(account_id, user_id))
    if line is None:
        return None
    return LineWithUser(line, await ports.users.get(account_id, user_id))


async def forward_call(*, ports: NumbersPorts, to_number: str, from_number: str) -> CallForward:
    """A call to one of our numbers rings its owner's primary cell."""
    line = await ports.lines.active_with_number(to_number)
    if line is None:
        return CallForward(None, from_number, None)
    owner = await ports.users.get(line.account_id, line.user_id)
    if owner is None or not owner.active or not owner.primary_cell:
        return CallForward(None, from_number, line)
    return CallForward(owner.primary_cell, from_number, line)
