"""`python -m services.contacts.asyncapi` writes services/contacts/asyncapi.json, the
contract of the events this service publishes and consumes."""

import asyncio
import json
from pathlib import Path

from faststream.specification import AsyncAPI

from services.contacts.bootstrap import build_contacts_runtime
from services.contacts.settings import ContactsSettings

DOCUMENT = Path(__file__).with_name("asyncapi.json")
DOCUMENTED_BOOTSTRAP_SERVERS = "127.0.0.1:19092"


async def render() -> str:
    """The document for the default deployment (fixed server and group, whatever the environment)."""
    settings = ContactsSettings(kafka_bootstrap_servers=DOCUMENTED_BOOTSTRAP_SERVERS, consumer_group="contacts")
    runtime = build_contacts_runtime(settings)
    try:
        specification = AsyncAPI(
            runtime.broker,
            title="contacts",
            version="1.0.0",
            description="Contacts: people, phones, tags and consent. Every event carries the contact's full snapshot.",
        ).to_specification()
        return json.dumps(json.loads(specification.to_json()), indent=2, sort_keys=True) + "\n"
    finally:
        await runtime.mongo.close()


def main() -> None:
    DOCUMENT.write_text(asyncio.run(render()))
    print(f"wrote {DOCUMENT}")


if __name__ == "__main__":
    main()
