"""The web client's API types are generated from a committed copy of the gateway's OpenAPI
document; the copy must be the document the gateway serves, or the client's types lie."""

import json

from services.gateway.public_api.export import CLIENT_COPY, as_text, public_document


def test_the_web_clients_copy_of_the_openapi_document_is_current():
    committed = CLIENT_COPY.read_text()
    served = public_document()
    assert json.loads(committed) == served, (
        "services/gateway/web/openapi.json differs from the gateway's /openapi.json: run "
        ".venv/bin/python -m services.gateway.public_api.export, then npm run api in services/gateway/web"
    )
    assert committed == as_text(served)


async def test_the_gateway_serves_the_same_document(gateway):
    answer = await gateway.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.json() == json.loads(CLIENT_COPY.read_text())
