"""Twilio's list envelope: the page of records plus page, page_size, start, end and the URIs."""

from collections.abc import Callable, Sequence
from urllib.parse import urlencode

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def list_envelope(records: Sequence, *, key: str, path: str, filters: dict[str, str | None],
                  page: int, page_size: int, render: Callable[[object], dict]) -> dict:
    start = page * page_size
    shown = records[start:start + page_size]
    kept_filters = {name: value for name, value in filters.items() if value is not None}

    def page_uri(number: int) -> str:
        return f"{path}?{urlencode({**kept_filters, 'PageSize': page_size, 'Page': number})}"

    has_next = start + page_size < len(records)
    return {
        "first_page_uri": page_uri(0),
        "end": start + len(shown) - 1 if shown else start,
        "previous_page_uri": page_uri(page - 1) if page > 0 else None,
        key: [render(record) for record in shown],
        "uri": page_uri(page),
        "page_size": page_size,
        "start": start,
        "next_page_uri": page_uri(page + 1) if has_next else None,
        "page": page,
    }
