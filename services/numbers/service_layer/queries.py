"""Read-side handlers: who has which number."""

from dataclasses import dataclass

from services.numbers.domain.lines import Line, line_id
from services.numbers.service_layer.ports import NumbersPorts, UserRecord

ROLES_THAT_SEE_EVERY_LINE = frozenset({"owner", "admin", "system"})


@dataclass(frozen=True)
class LineWithUser:
    line: Line
    user: UserRecord | None


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
