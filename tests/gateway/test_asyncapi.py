import json

from services.gateway import asyncapi
from shared import topics


def test_checked_in_asyncapi_document_matches_the_code():
    assert asyncapi.DOCUMENT.read_text() == asyncapi.render(), "run: python -m services.gateway.asyncapi"


def test_it_documents_the_users_events_and_the_verified_carrier_reports():
    operations = json.loads(asyncapi.DOCUMENT.read_text())["operations"].values()
    sent = {operation["channel"]["$ref"].rsplit("/", 1)[1] for operation in operations if operation["action"] == "send"}
    assert sent == {topics.USER_CREATED, topics.USER_UPDATED, topics.USER_SIGN_UP_ATTEMPTED, topics.CARRIER_STATUS_REPORTED}
