"""The contacts service's selection API: the ids behind the grid's "all matching" filter."""

from collections.abc import AsyncIterator
from typing import Protocol

import httpx

from shared.caller import CALLER_HEADER, Caller, sign_caller_token

SELECTION_PAGE = 5000


class SelectionUnavailable(Exception):
    """The contacts service could not be asked (down, or answered an error)."""


class SelectionRejected(Exception):
    """The contacts service refused the filter (a 4xx): the caller's mistake."""


class ContactsDirectory(Protocol):
    def selected_ids(self, caller: Caller, selection_filter: dict) -> AsyncIterator[list[str]]: ...

    async def count(self, caller: Caller, selection_filter: dict) -> int: ...


class HttpContactsDirectory:
    """POST /v1/contacts/selection/ids page by page (and /count), as the caller (a token signed for its account)."""

    def __init__(self, *, base_url: str, secret: str, timeout_seconds: float) -> None:
        self._client = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout_seconds)
        self._secret = secret

    async def selected_ids(self, caller: Caller, selection_filter: dict) -> AsyncIterator[list[str]]:
        after = None
        while True:
            body = {"filter": selection_filter, "after": after, "limit": SELECTION_PAGE}
            page = await self._post("/v1/contacts/selection/ids", caller, body)
            ids = page.get("ids") or []
            if ids:
                yield ids
            after = page.get("next")
            if after is None:
                return

    async def count(self, caller: Caller, selection_filter: dict) -> int:
        """How many contacts the filter selects, before any of them is read."""
        return (await self._post("/v1/contacts/selection/count", caller, {"filter": selection_filter}))["total"]

    async def _post(self, path: str, caller: Caller, body: dict) -> dict:
        headers = {CALLER_HEADER: sign_caller_token(caller, self._secret, audience="contacts")}
        try:
            answer = await self._client.post(path, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise SelectionUnavailable(f"the contacts service cannot be reached: {error!r}") from error
        if 400 <= answer.status_code < 500:
            raise SelectionRejected(f"the contacts service refused the selection: {answer.text[:500]}")
        if answer.status_code >= 300:
            raise SelectionUnavailable(f"the contacts service answered {answer.status_code}")
        return answer.json()

    async def close(self) -> None:
        await self._client.aclose()
