"""`python -m services.messaging.asyncapi` writes services/messaging/asyncapi.json from the code:
the api's and the send worker's subscribers, and every event messaging publishes."""

import json
from pathlib import Path

from faststream.specification import AsyncAPI

from services.messaging.bootstrap import build_api, send_policy
from services.messaging.entrypoints.consumers import register_send_worker
from services.messaging.service_layer.delivery import Courier
from services.messaging.settings import MessagingSettings

DOCUMENT = Path(__file__).with_name("asyncapi.json")


def render() -> str:
    """The document for the default deployment, whatever this machine's environment says."""
    settings = MessagingSettings(
        _env_file=None,
        kafka_bootstrap_servers="127.0.0.1:19092",
        consumer_group="messaging",
        worker_group="messaging-send-workers",
    )
    api = build_api(settings)
    courier = Courier(store=api.store, policy=send_policy(settings), worker_id="asyncapi")
    register_send_worker(api.runtime.broker, group_id=settings.worker_group, courier=courier, relay=api.runtime.relay)
    specification = AsyncAPI(api.runtime.broker, title="messaging", version="1.0.0").to_specification()
    return json.dumps(json.loads(specification.to_json()), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    DOCUMENT.write_text(render())
    print(f"wrote {DOCUMENT}")
