"""Tag management: the account's custom tags (create, rename, recolour, delete) and the
contacts that carry them. The three system tags are fixed and always listed."""

import re
from dataclasses import dataclass
from typing import Any

from services.contacts.adapters.tags import MongoTagRegistry
from services.contacts.domain.errors import InvalidContact, TagExists, TagNotFound
from services.contacts.domain.grid import ContactFilter
from services.contacts.domain.model import Actor
from services.contacts.domain.tags import SYSTEM_TAGS, normalize_tag
from services.contacts.service_layer.handlers import ContactNotFound, _apply, each_selected
from services.contacts.service_layer.ports import Ports

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
SYSTEM_TAG_MEANINGS = {
    "Do Not Contact": "on the person: no texts and no calls to any of their numbers",
    "Wrong Number": "on a phone: that number does not belong to this person",
    "Opt-In": "on a phone: the person gave consent to be texted (who recorded it, when and how)",
}


@dataclass(frozen=True)
class TagChange:
    tag: dict[str, Any]
    contacts_changed: int = 0


def _color(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not _COLOR.match(raw):
        raise InvalidContact.of("color", f"'{raw}' is not a colour like #1a2b3c")
    return raw.lower()


def _custom_name(raw: str, field: str = "name") -> str:
    name = normalize_tag(raw, field=field)
    if name in SYSTEM_TAGS:
        raise InvalidContact.of(field, f"'{name}' is a system tag; system tags cannot be created, renamed or deleted")
    return name


async def list_tags(account_id: str, *, registry: MongoTagRegistry) -> list[dict[str, Any]]:
    system = [{"id": None, "name": name, "color": None, "system": True, "meaning": SYSTEM_TAG_MEANINGS[name]} for name in SYSTEM_TAGS]
    custom = [_public(document) for document in await registry.all(account_id)]
    return system + custom


async def create_tag(account_id: str, name: str, color: str | None, *, registry: MongoTagRegistry, ports: Ports) -> dict[str, Any]:
    created = await registry.create(account_id, _custom_name(name), _color(color), now=ports.clock(), limit=ports.tag_limits.per_account)
    return _public(created)


async def change_tag(
    account_id: str, tag_id: str, *, name: str | None, color: str | None, color_sent: bool, actor: Actor,
    registry: MongoTagRegistry, ports: Ports,
) -> TagChange:
    """Rename and/or recolour. A rename changes every contact carrying the tag, each
    emitting contact.updated (changed: tags)."""
    current = await registry.get(account_id, tag_id)
    if current is None:
        raise TagNotFound(tag_id)
    changes: dict[str, Any] = {}
    if color_sent:
        changes["color"] = _color(color)
    new_name = _custom_name(name) if name is not None else None
    if new_name is not None and new_name != current["name"]:
        other = await registry.by_name(account_id, new_name)
        if other is not None and other["_id"] != tag_id:
            raise TagExists(new_name)
        changes["name"] = new_name
    updated = await registry.change(account_id, tag_id, changes) if changes else current
    changed = 0
    if "name" in changes:
        old = current["name"]
        changed = await _for_each_carrier(
            account_id, old, ports,
            lambda contact: contact.rename_tag(old, new_name, actor=actor, now=ports.clock()),
        )
    return TagChange(_public(updated), changed)


async def delete_tag(account_id: str, tag_id: str, *, actor: Actor, registry: MongoTagRegistry, ports: Ports) -> int:
    """Delete the tag and untag every contact carrying it (contact.untagged each)."""
    current = await registry.get(account_id, tag_id)
    if current is None:
        raise TagNotFound(tag_id)
    name = current["name"]
    changed = await _for_each_carrier(
        account_id, name, ports, lambda contact: contact.untag(name, phone_id=None, actor=actor, now=ports.clock())
    )
    await registry.delete(account_id, tag_id)
    return changed


async def _for_each_carrier(account_id: str, tag: str, ports: Ports, apply) -> int:
    changed = 0
    async for contact_id in each_selected(account_id, ContactFilter(tag=tag), ports=ports):
        try:
            _, did_change = await _apply(ports, account_id, contact_id, apply)
        except ContactNotFound:
            continue
        changed += did_change
    return changed


def _public(document: dict[str, Any]) -> dict[str, Any]:
    return {"id": document["_id"], "name": document["name"], "color": document.get("color"), "system": False, "meaning": None}

