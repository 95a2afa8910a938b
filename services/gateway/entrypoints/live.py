"""Live push to browsers: Server-Sent Events fed by notification.created."""

import asyncio
import json

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from services.gateway.entrypoints.deps import CurrentUser, StreamUser
from services.gateway.entrypoints.schemas import StreamTicket
from shared.events import Envelope

router = APIRouter(prefix="/api", tags=["live"])

KEEPALIVE_SECONDS = 15
NOTIFICATION_STREAM_PATH = "/api/notifications/stream"


@router.post("/notifications/stream-tickets", status_code=201, response_model=StreamTicket)
async def mint_stream_ticket(request: Request, user: CurrentUser) -> StreamTicket:
    """A single-use ticket that opens the live stream once, for `GET /api/notifications/stream?ticket=`."""
    ticket = await request.app.state.stream_tickets.mint(account_id=user.account_id, user_id=user.id)
    return StreamTicket(ticket=ticket, expires_in=request.app.state.settings.stream_ticket_seconds)


@router.get(NOTIFICATION_STREAM_PATH.removeprefix("/api"))
async def notification_stream(request: Request, user: StreamUser) -> StreamingResponse:
    """Each new portal notification of the signed-in user, as an SSE `notification` event.
    Opened with `?ticket=` (from POST /api/notifications/stream-tickets) or a bearer header."""
    live = request.app.state.live
    queue = live.connect(user.account_id, user.id)

    async def events():
        try:
            yield ": connected\n\n"
            while not await request.is_disconnected():
                try:
                    payload = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: notification\ndata: {json.dumps(payload)}\n\n"
        finally:
            live.disconnect(user.account_id, user.id, queue)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


def notification_pusher(live):
    async def push(envelope: Envelope) -> None:
        """Fan a new notification out to its user's open browsers."""
        data = envelope.data
        live.push(envelope.account_id, data.user_id, {"id": data.notification_id, **data.model_dump()})

    return push
