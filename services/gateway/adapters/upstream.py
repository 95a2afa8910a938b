"""Calling the services behind the gateway, as the signed-in user or as the gateway itself."""

from dataclasses import dataclass

import httpx

from shared.caller import CALLER_HEADER, CORRELATION_HEADER, Audience, Caller, sign_caller_token
from shared.observability import current_correlation_id


@dataclass(frozen=True)
class Upstreams:
    """Base URL of each service the gateway fronts, by name."""

    contacts: str
    messaging: str
    numbers: str
    notifications: str

    def url_of(self, service: Audience) -> str:
        return getattr(self, service)


class UpstreamUnavailable(Exception):
    def __init__(self, service: str) -> None:
        super().__init__(f"the {service} service is unavailable; try again shortly")
        self.service = service


class UpstreamClient:
    def __init__(self, upstreams: Upstreams, internal_secret: str, http: httpx.AsyncClient) -> None:
        self._upstreams = upstreams
        self._secret = internal_secret
        self._http = http

    def _headers(self, service: Audience, caller: Caller) -> dict[str, str]:
        headers = {CALLER_HEADER: sign_caller_token(caller, self._secret, audience=service)}
        if correlation_id := current_correlation_id():
            headers[CORRELATION_HEADER] = correlation_id
        return headers

    async def send(
        self, service: Audience, method: str, path: str, *, caller: Caller, params=None, content=None, json=None,
        content_type: str | None = None, stream: bool = False,
    ) -> httpx.Response:
        """One request to `service`; raises UpstreamUnavailable when it cannot be reached."""
        headers = self._headers(service, caller)
        if content_type:
            headers["Content-Type"] = content_type
        request = self._http.build_request(
            method, self._upstreams.url_of(service) + path, params=params, content=content, json=json, headers=headers
        )
        try:
            return await self._http.send(request, stream=stream)
        except httpx.TransportError as error:
            raise UpstreamUnavailable(service) from error
