"""Who a conversation belongs to: the user whose number the person texted, until that user
leaves a reply unopened for the account's N minutes (then any texter may claim it), or an
admin reassigns it. Worked out from stored times whenever it is asked, never by a timer."""

from datetime import UTC, datetime, timedelta

DEFAULT_TIMEOUT_MINUTES = 30
REASSIGNERS = ("owner", "admin")
ADMIN_ROLES = ("admin", "owner")  # who a reply to a deactivated user's number goes to, in this order


def timeout_of(settings: dict) -> timedelta:
    return timedelta(minutes=settings.get("assignment_timeout_minutes") or DEFAULT_TIMEOUT_MINUTES)


def cutoff(now: datetime, settings: dict) -> datetime:
    """A reply waiting unopened since before this moment has left its thread unassigned."""
    return now - timeout_of(settings)


def is_unassigned(conversation: dict, *, now: datetime, settings: dict) -> bool:
    if conversation.get("assigned_user_id") is None:
        return True
    waiting = conversation.get("awaiting_since")
    return waiting is not None and _aware(waiting) <= cutoff(now, settings)


def is_visible_to(conversation: dict, *, user_id: str, role: str, now: datetime, settings: dict) -> bool:
    """Owners and admins see every thread; a texter sees their own and the unassigned ones."""
    if role in REASSIGNERS:
        return True
    return conversation.get("assigned_user_id") == user_id or is_unassigned(conversation, now=now, settings=settings)


def first_admin(users: list[dict]) -> dict | None:
    """The account's active admin (else owner) that longest has been one."""
    ranked = [user for user in users if user.get("active", True) and user.get("role") in ADMIN_ROLES]
    ranked.sort(key=lambda user: (ADMIN_ROLES.index(user["role"]), _aware(user.get("created_at") or datetime.min), user["_id"]))
    return ranked[0] if ranked else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
