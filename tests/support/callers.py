"""Caller-token headers for tests that call a service directly, as the gateway would."""

from collections.abc import Iterator, Mapping

import httpx

from shared.caller import CALLER_HEADER, Audience, Caller, sign_caller_token


class FreshCallerHeaders(Mapping[str, str]):
    """The caller-token header, signed afresh whenever a request reads it, as the gateway signs
    one per request: a test that waits minutes on an import never sends a stale token."""

    def __init__(self, caller: Caller, secret: str, *, audience: Audience) -> None:
        self._caller, self._secret, self._audience = caller, secret, audience

    def __getitem__(self, name: str) -> str:
        if name != CALLER_HEADER:
            raise KeyError(name)
        return sign_caller_token(self._caller, self._secret, audience=self._audience)

    def __iter__(self) -> Iterator[str]:
        return iter((CALLER_HEADER,))

    def __len__(self) -> int:
        return 1


class CallerTokenAuth(httpx.Auth):
    """An httpx client's caller token, signed afresh for every request it sends."""

    def __init__(self, caller: Caller, secret: str, *, audience: Audience) -> None:
        self._headers = FreshCallerHeaders(caller, secret, audience=audience)

    def auth_flow(self, request: httpx.Request):
        request.headers[CALLER_HEADER] = self._headers[CALLER_HEADER]
        yield request
