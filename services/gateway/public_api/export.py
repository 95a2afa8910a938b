"""Writes the public OpenAPI document to services/gateway/web/openapi.json, the copy the web
client's typed API client is generated from:  .venv/bin/python -m services.gateway.public_api.export"""

import json
from pathlib import Path

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings

CLIENT_COPY = Path(__file__).parents[1] / "web" / "openapi.json"


def public_document() -> dict:
    return create_app(GatewaySettings()).openapi()


def as_text(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    CLIENT_COPY.write_text(as_text(public_document()))
    print(f"wrote {CLIENT_COPY}")
