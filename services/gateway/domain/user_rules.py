"""Who may change what about a user of their account.

Only an owner grants or removes the owner role, or deactivates an owner; nobody changes their own
role; an account always keeps at least one active owner; only owners and admins change other
users at all (their primary cell, where calls forward, included)."""

from services.gateway.domain.errors import Conflict, NotAllowed
from services.gateway.domain.model import User


def check_user_change(*, acting: User, target: User, changes: dict, active_owners: int) -> None:
    """Raise NotAllowed (403) or Conflict (409) when `acting` may not make `changes` to `target`."""
    new_role = changes.get("role", target.role)
    new_active = changes.get("active", target.active)
    role_changes, active_changes = new_role != target.role, new_active != target.active
    if acting.id != target.id and not acting.can_manage_users:
        raise NotAllowed("only owners and admins can change other users")
    if (role_changes or active_changes) and not acting.can_manage_users:
        raise NotAllowed("only owners and admins can change roles or deactivate users")
    if role_changes and acting.id == target.id:
        raise NotAllowed("nobody changes their own role: another owner must")
    if role_changes and "owner" in (target.role, new_role) and acting.role != "owner":
        raise NotAllowed("only an owner can grant or remove the owner role")
    if active_changes and target.role == "owner" and acting.role != "owner":
        raise NotAllowed("only an owner can deactivate or reactivate an owner")
    stops_being_an_active_owner = target.role == "owner" and target.active and (new_role != "owner" or not new_active)
    if stops_being_an_active_owner and active_owners <= 1:
        raise Conflict("an account keeps at least one active owner: make another user owner first")
