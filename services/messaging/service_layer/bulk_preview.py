"""Before a bulk send: how many of the chosen people would be texted, and why the others would
not, by the rules the send itself applies (nothing is written)."""

from dataclasses import dataclass, field

from services.messaging.adapters.contacts_directory import ContactsDirectory
from services.messaging.adapters.store import MessagingStore
from services.messaging.service_layer.bulk import StartBulkSend, pages_of_ids
from services.messaging.service_layer.sending import registration_warnings, textable_phones


@dataclass
class Recipients:
    contacts: int = 0
    texted_contacts: int = 0
    messages: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


async def preview_recipients(command: StartBulkSend, *, store: MessagingStore, directory: ContactsDirectory | None) -> Recipients:
    """Contacts chosen, those with at least one textable phone, the texts that would go, and the
    phones skipped by reason (as the job would count them)."""
    account_id = command.caller.account_id
    found = Recipients(warnings=await registration_warnings(store, account_id))
    if await store.sender_number(command.caller.user_id) is None:
        found.warnings.append("you have no texting number yet: one is being set up and these messages will go out once it is ready")
    async for contact_ids in pages_of_ids(command, directory):
        await _count_page(store, account_id, contact_ids, found)
    return found


async def _count_page(store: MessagingStore, account_id: str, contact_ids: list[str], found: Recipients) -> None:
    contacts = await store.contacts_by_ids(account_id, contact_ids)
    known_flags = await store.flags_of_contacts(account_id, list(contacts.values()))
    found.contacts += len(contact_ids)
    for contact_id in contact_ids:
        contact = contacts.get(contact_id)
        if contact is None:
            found.skip("contact_not_found")
            continue
        textable, not_textable = await textable_phones(store, account_id, contact, known_flags)
        for phone in not_textable:
            found.skip(phone["reason"])
        found.messages += len(textable)
        found.texted_contacts += 1 if textable else 0
