"""How many bytes a request body may have, per route: small for JSON and webhooks, large (and
streamed) for CSV uploads. A declared Content-Length over the limit is refused before a byte is
read; a body without one is counted as it passes and refused as soon as it goes over, so no
request makes a worker hold more than its route's limit."""

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body may be at most {limit} bytes on this route")


class BodyLimits:
    """Plain ASGI, in front of routing. `limits` maps (method, path) to that route's limit."""

    _content_length = b"content-length"

    def __init__(self, app: ASGIApp, *, default_limit: int, limits: dict[tuple[str, str], int]) -> None:
        self.app = app
        self._default_limit = default_limit
        self._limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limits.get((scope["method"], scope["path"]), self._default_limit)
        declared = next((value for name, value in scope["headers"] if name == self._content_length), None)
        if declared is not None and not declared.isdigit():
            await _answer(send, 400, "Content-Length must be a number of bytes")
            return
        if declared is not None and int(declared) > limit:
            await _answer(send, 413, BodyTooLarge(limit).detail)
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received, answered = 0, False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def noting_send(message: Message) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except BodyTooLarge as error:  # raised where no handler turned it into an answer (a streamed upload)
            if not answered:
                await _answer(send, 413, error.detail)


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
