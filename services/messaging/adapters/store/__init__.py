"""MongoDB persistence for messaging, one module per aggregate (see common.py for how it reads):

- messages.py: messages, the states they reach, their carrier sids and holds
- conversations.py: threads and what each user has read
- bulk_jobs.py: bulk send jobs and their counters
- read_models.py: contacts and sender numbers as other services announce them
- canned_replies.py: saved replies and their actions
- assignments.py: who each thread belongs to, each change recorded with its event
- media.py: MMS images, uploaded or received, with their bytes
- keyword_handling.py: which numbers' keywords the carrier answers itself
- account_settings.py, phone_flags.py, sender_rates.py, number_requests.py, carrier_logs.py

`MessagingStore` is all of them together: the port the service layer writes and reads through.
"""

from pymongo import ASCENDING, IndexModel

from services.messaging.adapters.outbox import OUTBOX, PUBLISHED, RECORDED_AT_FIELD
from services.messaging.adapters.store import assignments, bulk_jobs, canned_replies, carrier_logs, conversations, messages, read_models
from services.messaging.adapters.store.account_settings import AccountSettingsStore
from services.messaging.adapters.store.assignments import CONVERSATION_ASSIGNMENTS, AssignmentStore
from services.messaging.adapters.store.bulk_jobs import BulkJobStore
from services.messaging.adapters.store.canned_replies import CannedReplyStore
from services.messaging.adapters.store.carrier_logs import CarrierLogStore
from services.messaging.adapters.store.conversations import ConversationStore
from services.messaging.adapters.store.media import MediaStore
from services.messaging.adapters.store.messages import MESSAGE_STATES, MESSAGES, MessageStore
from services.messaging.adapters.store.keyword_handling import KeywordHandlingStore
from services.messaging.adapters.store.number_requests import NUMBER_REQUESTS, NumberRequestStore
from services.messaging.adapters.store.phone_flags import PhoneFlagStore
from services.messaging.adapters.store.read_models import ReadModelStore
from services.messaging.adapters.store.sender_rates import SenderRateStore
from shared.mongo import CollectionIndexes

EVENT_SOURCES = [MESSAGES, MESSAGE_STATES, NUMBER_REQUESTS, CONVERSATION_ASSIGNMENTS]
OUTBOX_COLLECTIONS = [OUTBOX]

# One index per declaration: FerretDB v1.24 drops the connection (a server panic) when a single
# createIndexes command names several indexes that already exist, i.e. on every restart.
INDEXES = [
    CollectionIndexes(collection, [index])
    for collection, index in (
        *messages.INDEXES,
        *conversations.INDEXES,
        (PUBLISHED, IndexModel([("at", ASCENDING)], name="published_at")),
        *((source, IndexModel([(RECORDED_AT_FIELD, ASCENDING)], name="events_at", sparse=True)) for source in EVENT_SOURCES),
        *bulk_jobs.INDEXES,
        *read_models.INDEXES,
        *carrier_logs.INDEXES,
        *canned_replies.INDEXES,
        *assignments.INDEXES,
    )
]


class MessagingStore(
    MessageStore,
    ConversationStore,
    BulkJobStore,
    ReadModelStore,
    AccountSettingsStore,
    PhoneFlagStore,
    SenderRateStore,
    NumberRequestStore,
    CarrierLogStore,
    CannedReplyStore,
    AssignmentStore,
    MediaStore,
    KeywordHandlingStore,
):
    """The messaging database, as the handlers need it."""
