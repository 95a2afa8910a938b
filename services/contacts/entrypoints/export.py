"""Contacts as CSV, produced a page at a time so that any selection streams."""

from collections.abc import AsyncIterator

from services.contacts.domain.grid import Criteria
from services.contacts.domain.model import Contact
from services.contacts.entrypoints.safe_csv import csv_bytes
from services.contacts.service_layer.ports import Ports

EXPORT_PAGE = 500
COLUMNS = [
    "id", "first_name", "last_name", "emails", "phones", "phone_types", "street", "city", "state", "zip",
    "tags", "dnc", "owner_user_id", "created_at", "last_contacted_at",
]


def _row(contact: Contact) -> list[str]:
    address = contact.address or {}
    return [
        contact.contact_id,
        contact.first_name,
        contact.last_name,
        ";".join(contact.emails),
        ";".join(phone.e164 for phone in contact.phones),
        ";".join(phone.type for phone in contact.phones),
        address.get("street", ""),
        address.get("city", ""),
        address.get("state", ""),
        address.get("zip", ""),
        ";".join(contact.tags),
        "true" if contact.dnc else "false",
        contact.owner_user_id or "",
        contact.created_at.isoformat(),
        contact.last_contacted_at.isoformat() if contact.last_contacted_at else "",
    ]


_PHONES = frozenset({COLUMNS.index("phones")})


def _csv(rows: list[list[str]]) -> bytes:
    return csv_bytes(rows, e164_columns=_PHONES)


async def export_rows(ports: Ports, account_id: str, criteria: Criteria) -> AsyncIterator[bytes]:
    yield _csv([COLUMNS])
    after = None
    while True:
        contacts = await ports.contacts.in_id_order(account_id, criteria, after=after, limit=EXPORT_PAGE)
        if contacts:
            yield _csv([_row(contact) for contact in contacts])
        if len(contacts) < EXPORT_PAGE:
            return
        after = contacts[-1].contact_id
