"""The HTTP routers of the services behind the gateway, imported in-process: the public document
is built from the very routes the services serve, so it cannot drift from them."""

from fastapi import APIRouter

from services.contacts.entrypoints.http import routers as contacts_routers
from services.messaging.entrypoints.http import router as messaging_router
from services.messaging.entrypoints.review_http import router as messaging_review_router
from services.messaging.entrypoints.canned_replies_http import router as messaging_canned_replies_router
from services.messaging.entrypoints.conversation_assignment_http import router as messaging_assignment_router
from services.messaging.entrypoints.scheduled_sends_http import router as messaging_scheduled_sends_router
from services.messaging.entrypoints.media_http import router as messaging_media_router
from services.notifications.entrypoints.http import router as notifications_router
from services.numbers.entrypoints.http import router as numbers_router
from services.numbers.entrypoints.http_actions import router as numbers_actions_router

SERVICE_ROUTERS: dict[str, list[APIRouter]] = {
    "contacts": list(contacts_routers),
    "messaging": [messaging_router, messaging_review_router, messaging_canned_replies_router, messaging_assignment_router,
                  messaging_scheduled_sends_router, messaging_media_router],
    "numbers": [numbers_router, numbers_actions_router],
    "notifications": [notifications_router],
}
