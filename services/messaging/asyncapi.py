"""`python -m services.messaging.asyncapi` writes services/messaging/asyncapi.json from the code:
the api's and the send worker's subscribers, and every event messaging publishes."""

import json
from pathlib import Path

from faststream.specification import AsyncAPI

from services.messaging.bootstrap import build_api, send_policy
from services.messaging.entrypoints.consumers import register_send_worker
from services.messaging.service_layer.delivery import Courier
from services.messaging.settings import MessagingSettings
from shared import topics

DOCUMENT = Path(__file__).with_name("asyncapi.json")

# What each published event means to a subscriber (the event models in shared/ stay terse).
PUBLISHED = {
    "message.send_requested": (
        "An outbound text was accepted (one per contact and cell phone, under an idempotency key), alone or as "
        "part of a bulk send (bulk_job_id), or as the confirmation of a STOP/START/HELP reply. Keyed by contact "
        "(by conversation for a text to an unknown sender), so one contact's texts are sent in order. Consumed by "
        "messaging's own send workers (consumer group messaging-send-workers, in batches); may be delivered more "
        "than once."
    ),
    "message.sent": (
        "The carrier took the text (exactly once per message, after reconciling any ambiguous attempt): carrier sid, "
        "sender number, segments. Keyed by contact."
    ),
    "message.status_updated": (
        "A message moved forward: waiting_for_number, skipped (why: see the message), cancelled (its bulk send was "
        "cancelled), sent, delivered, undelivered or failed with the carrier's error code. Never backwards, once per "
        "status. Keyed by conversation."
    ),
    "message.failed": (
        "The text will not arrive: rejected by the carrier, undelivered or failed, with the carrier's error code and "
        "what it means (21610: the person unsubscribed, which contacts records as an opt-out; 21211, 30003, 30005: "
        "unreachable; 30006: landline; 30007: filtered by the carrier). Keyed by contact."
    ),
    "message.received": (
        "A person texted one of our users' numbers; stored once per MessageSid however often the carrier retries. "
        "contact_id is null for a number that matches no contact (the unknown-sender inbox). keyword is opt_out, "
        "opt_in or help for the one-word replies (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT; "
        "START, YES, UNSTOP; HELP, INFO). Keyed by conversation."
    ),
    "canned_reply.sent": (
        "A saved reply was sent to a contact (one event however many of the contact's phones it went to): the "
        "actions it carries for the services that own them. contacts adds add_tags to the contact and, with "
        "opt_in_method, marks each texted phone Opt-In with that consent method, as the sending user; messaging "
        "closes the threads itself when close_conversation is set. Keyed by contact."
    ),
    "conversation.assigned": (
        "A thread changed hands after it was created: claimed by a texter once it was free (no assignee, or a reply "
        "left unopened past the account's assignment_timeout_minutes, worked out when asked, never by a timer), "
        "reassigned by an owner or admin (assigned_user_id null: unassigned), or routed to the account's admin because "
        "a reply reached a deactivated user's number (reason owner_deactivated, by_user_id null). contacts puts it on "
        "the contact's timeline. Recorded once per change; keyed by conversation."
    ),
    "scheduled_send.created": (
        "A user scheduled a text to one contact or a bulk send for send_at (UTC; entered in time_zone). Nothing is "
        "checked for sending yet: eligibility, opt-outs, limits and quiet hours are checked when it starts. Keyed by "
        "scheduled send."
    ),
    "scheduled_send.updated": (
        "A scheduled send's body or time was changed before it started (changed names which). Keyed by scheduled send."
    ),
    "scheduled_send.started": (
        "A scheduled send's time came and one messaging process (a claim with a lease, so once however many run) "
        "handed it to the normal send path: outcome sent with its message_ids or bulk_job_id (whose texts then follow "
        "as message.send_requested), or refused with the reason (nothing textable any more, the contact gone, a "
        "limit that does not reset). Keyed by scheduled send."
    ),
    "scheduled_send.cancelled": "A scheduled send was cancelled before it started; it never goes. Keyed by scheduled send.",
    "number.needed": "A user must text but has no number of their own yet; at most once a minute per user. Keyed by user.",
    "revocation.detected": (
        "A reply revoked consent: an opt-out keyword (reply_class opt_out_keyword, also the phrases OPT OUT, STOP ALL, "
        "STOP ALL TEXTS) or the same in other words (reply_class revocation: 'stop texting me', 'no más', ...). The phone "
        "(or the person, as the account's opt-out scope says) is opted out at once; message.received carries keyword "
        "opt_out for it too. Keyed by conversation."
    ),
    "review_item.raised": (
        "A reply for a texter to judge: kind revocation (it may revoke consent; texts to the phone wait until it is decided "
        "or until deadline, ten business days later, when the opt-out applies) or wrong_number (the Wrong Number tag is "
        "suggested). Keyed by conversation."
    ),
    "review_item.decided": (
        "A review item was decided: opt_out or not_opt_out, wrong_number or not_wrong_number, by a user or (decided_by "
        "deadline) by its deadline passing, which opts out. Contacts opts the number out or tags the phone Wrong Number. "
        "Keyed by conversation."
    ),
}


def render() -> str:
    """The document for the default deployment, whatever this machine's environment says."""
    settings = MessagingSettings(
        _env_file=None,
        kafka_bootstrap_servers="127.0.0.1:19092",
        consumer_group="messaging",
        worker_group="messaging-send-workers",
    )
    api = build_api(settings)
    courier = Courier(store=api.store, policy=send_policy(settings), worker_id="asyncapi", reviews=api.reviews)
    register_send_worker(
        api.runtime.broker, group_id=settings.worker_group, courier=courier, relay=api.runtime.relay, consumers=settings.worker_consumers
    )
    specification = AsyncAPI(api.runtime.broker, title="messaging", version="1.0.0").to_specification()
    document = _records_not_batches(json.loads(specification.to_json()), settings.worker_group)
    for channel, description in PUBLISHED.items():
        document["channels"][channel]["description"] = description
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _records_not_batches(document: dict, worker_group: str) -> dict:
    """The send workers read message.send_requested in batches, so FastStream describes their
    payload as a list; on the topic each record is one envelope, as the api publishes it."""
    schemas = document["components"]["schemas"]
    subscribed = document["components"]["messages"][f"{worker_group}:{topics.MESSAGE_SEND_REQUESTED}:SubscribeMessage"]
    batch = schemas.pop(subscribed["payload"]["$ref"].rsplit("/", 1)[1])
    schemas.pop(batch["items"]["$ref"].rsplit("/", 1)[1])
    subscribed["payload"] = {"$ref": "#/components/schemas/Envelope%5BMessageSendRequested%5D"}
    return document


if __name__ == "__main__":
    DOCUMENT.write_text(render())
    print(f"wrote {DOCUMENT}")
