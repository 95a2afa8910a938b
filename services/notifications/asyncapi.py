"""`python -m services.notifications.asyncapi` writes services/notifications/asyncapi.json from the code."""

import json
from pathlib import Path

from faststream.specification import AsyncAPI

from services.notifications.bootstrap import build_service
from services.notifications.settings import NotificationsSettings

DOCUMENT = Path(__file__).with_name("asyncapi.json")


def render() -> str:
    """The document for the default deployment, whatever this machine's environment says."""
    settings = NotificationsSettings(_env_file=None, kafka_bootstrap_servers="127.0.0.1:19092", consumer_group="notifications")
    service = build_service(settings)
    specification = AsyncAPI(service.runtime.broker, title="notifications", version="1.0.0").to_specification()
    return json.dumps(json.loads(specification.to_json()), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    DOCUMENT.write_text(render())
    print(f"wrote {DOCUMENT}")
