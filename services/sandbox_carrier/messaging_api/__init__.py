"""Twilio's Messaging API (messaging.twilio.com/v1), the A2P 10DLC subset: brand registrations,
messaging services with their phone numbers, and US A2P campaigns, with a review the control
endpoints decide."""

from fastapi import FastAPI

from .control import router as control_router
from .records import A2PRegistry
from .routes import router as api_router


def install_messaging_api(app: FastAPI) -> None:
    app.state.a2p = A2PRegistry()
    app.include_router(api_router)
    app.include_router(control_router)
