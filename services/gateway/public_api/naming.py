"""Operation ids a generated client can use as function names: `<resource>_<action>`."""

import re

# Where stripping the resource's words leaves no readable action.
RENAMED = {"numbers_my": "numbers_mine"}


def resource_of(public_path: str) -> str:
    """`/api/bulk-sends/{job_id}` -> `bulk_sends`; the Twilio webhooks are `twilio_webhooks`."""
    if public_path.startswith("/webhooks/twilio"):
        return "twilio_webhooks"
    segment = public_path.removeprefix("/api/").split("/", 1)[0]
    return segment.replace("-", "_")


def operation_id(public_path: str, method: str, handler_name: str) -> str:
    """The handler's name without the resource's own words: `contacts` + `list_contacts` ->
    `contacts_list`, `bulk_sends` + `start_bulk_send` -> `bulk_sends_start`."""
    resource = resource_of(public_path)
    own_words = {word for part in resource.split("_") for word in (part, part.removesuffix("s"))}
    action = [word for word in re.split(r"_+", handler_name) if word and word not in own_words]
    name = f"{resource}_{'_'.join(action) or method.lower()}"
    return RENAMED.get(name, name)
