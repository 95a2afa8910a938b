"""The checked-in AsyncAPI document is what the code generates."""

import json

from services.contacts.asyncapi import DOCUMENT, render


async def test_asyncapi_document_has_not_drifted():
    generated = json.loads(await render())
    assert json.loads(DOCUMENT.read_text()) == generated, "run: python -m services.contacts.asyncapi"
    assert {"contact.created", "contact.tagged", "contact.opted_out", "contacts:message.received",
            "contacts:message.failed"} <= set(generated["channels"])
