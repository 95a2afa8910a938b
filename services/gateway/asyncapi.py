"""`python -m services.gateway.asyncapi` writes services/gateway/asyncapi.json from the code."""

import json
from pathlib import Path

from faststream.specification import AsyncAPI

from services.gateway.adapters.live import LiveConnections
from services.gateway.bootstrap import build_gateway_runtime
from services.gateway.settings import GatewaySettings

DOCUMENT = Path(__file__).with_name("asyncapi.json")


def render() -> str:
    """The document for the default deployment, whatever this machine's environment says."""
    settings = GatewaySettings(_env_file=None, kafka_bootstrap_servers="127.0.0.1:19092", live_consumer_group="gateway-live")
    runtime = build_gateway_runtime(settings, LiveConnections())
    specification = AsyncAPI(runtime.broker, title="gateway", version="1.0.0").to_specification()
    return json.dumps(json.loads(specification.to_json()), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    DOCUMENT.write_text(render())
    print(f"wrote {DOCUMENT}")
