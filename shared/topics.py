"""The one place that names the Kafka topics.

Each event type travels on the topic of the same name (`noun.past_tense_verb`),
keyed by the aggregate it is about so that order holds per aggregate.
"""

USER_CREATED = "user.created"
USER_UPDATED = "user.updated"
USER_SIGN_UP_ATTEMPTED = "user.sign_up_attempted"

CONTACT_CREATED = "contact.created"
CONTACT_UPDATED = "contact.updated"
CONTACT_TAGGED = "contact.tagged"
CONTACT_UNTAGGED = "contact.untagged"
CONTACT_DELETED = "contact.deleted"
CONTACT_OPTED_OUT = "contact.opted_out"
CONTACT_OPTED_IN = "contact.opted_in"

MESSAGE_SEND_REQUESTED = "message.send_requested"
MESSAGE_SENT = "message.sent"
MESSAGE_STATUS_UPDATED = "message.status_updated"
MESSAGE_FAILED = "message.failed"
MESSAGE_RECEIVED = "message.received"
CANNED_REPLY_SENT = "canned_reply.sent"
REVOCATION_DETECTED = "revocation.detected"
REVIEW_ITEM_RAISED = "review_item.raised"
REVIEW_ITEM_DECIDED = "review_item.decided"
CONVERSATION_ASSIGNED = "conversation.assigned"
SCHEDULED_SEND_CREATED = "scheduled_send.created"
SCHEDULED_SEND_UPDATED = "scheduled_send.updated"
SCHEDULED_SEND_STARTED = "scheduled_send.started"
SCHEDULED_SEND_CANCELLED = "scheduled_send.cancelled"

NUMBER_NEEDED = "number.needed"
NUMBER_PROVISIONED = "number.provisioned"
NUMBER_RELEASED = "number.released"
NUMBER_PURCHASE_FAILED = "number.purchase_failed"
REGISTRATION_UPDATED = "registration.updated"
REGISTRATION_SAVED = "registration.saved"
NUMBER_OPT_OUT_HANDLING_CHANGED = "number.opt_out_handling_changed"
CALL_COMPLETED = "call.completed"

CARRIER_STATUS_REPORTED = "carrier.status_reported"

NOTIFICATION_CREATED = "notification.created"

ALL_TOPICS = (
    USER_CREATED,
    USER_UPDATED,
    USER_SIGN_UP_ATTEMPTED,
    CONTACT_CREATED,
    CONTACT_UPDATED,
    CONTACT_TAGGED,
    CONTACT_UNTAGGED,
    CONTACT_DELETED,
    CONTACT_OPTED_OUT,
    CONTACT_OPTED_IN,
    MESSAGE_SEND_REQUESTED,
    MESSAGE_SENT,
    MESSAGE_STATUS_UPDATED,
    MESSAGE_FAILED,
    MESSAGE_RECEIVED,
    CANNED_REPLY_SENT,
    REVOCATION_DETECTED,
    REVIEW_ITEM_RAISED,
    REVIEW_ITEM_DECIDED,
    CONVERSATION_ASSIGNED,
    SCHEDULED_SEND_CREATED,
    SCHEDULED_SEND_UPDATED,
    SCHEDULED_SEND_STARTED,
    SCHEDULED_SEND_CANCELLED,
    NUMBER_NEEDED,
    NUMBER_PROVISIONED,
    NUMBER_RELEASED,
    NUMBER_PURCHASE_FAILED,
    REGISTRATION_UPDATED,
    REGISTRATION_SAVED,
    NUMBER_OPT_OUT_HANDLING_CHANGED,
    CALL_COMPLETED,
    CARRIER_STATUS_REPORTED,
    NOTIFICATION_CREATED,
)

PARTITIONS = 6
