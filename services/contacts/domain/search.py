"""Derived search keys, stored with each contact so that list queries are equality
or range matches on indexed fields (no regex scans, no $text)."""

import re
import unicodedata
from dataclasses import dataclass

from services.contacts.domain.errors import InvalidContact
from services.contacts.domain.phones import Phone

MAX_PREFIX = 20
MIN_PHONE_DIGITS = 3
_PHONE_PUNCTUATION = re.compile(r"[\s()+\-.]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Zoë O'Brien' -> "zoe o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_tokens(text: str) -> list[str]:
    """Words of a name, plus the word without its punctuation ("o'brien" -> o, brien, obrien)."""
    tokens: list[str] = []
    for word in fold(text).split():
        parts = [part for part in re.split(r"\W+", word) if part]
        joined = "".join(parts)
        for token in (*parts, joined):
            if token and token not in tokens:
                tokens.append(token)
    return tokens


def name_prefixes(first_name: str, last_name: str) -> list[str]:
    prefixes: set[str] = set()
    for token in name_tokens(f"{first_name} {last_name}"):
        prefixes.update(token[:length] for length in range(1, min(len(token), MAX_PREFIX) + 1))
    return sorted(prefixes)


def phone_digit_prefixes(phones: list[Phone]) -> list[str]:
    """Prefixes (3+ digits) of each number, with and without its country code."""
    prefixes: set[str] = set()
    for phone in phones:
        full = phone.digits()
        national = full[1:] if full.startswith("1") and len(full) == 11 else full
        for digits in {full, national}:
            prefixes.update(digits[:length] for length in range(MIN_PHONE_DIGITS, len(digits) + 1))
    return sorted(prefixes)


def sort_keys(first_name: str, last_name: str) -> tuple[str, str]:
    return fold(last_name), fold(first_name)


@dataclass(frozen=True)
class SearchTerms:
    """What a `q` asks for: name prefixes (all must match) or phone digits."""

    name_prefixes: tuple[str, ...] = ()
    phone_digits: str | None = None


def parse_query(q: str | None) -> SearchTerms:
    text = (q or "").strip()
    if not text:
        return SearchTerms()
    compact = _PHONE_PUNCTUATION.sub("", text)
    if compact.isdigit():
        if len(compact) < MIN_PHONE_DIGITS:
            raise InvalidContact.of("q", f"a phone search needs at least {MIN_PHONE_DIGITS} digits")
        return SearchTerms(phone_digits=compact)
    tokens = [token[:MAX_PREFIX] for token in name_tokens(text)]
    if not tokens:
        raise InvalidContact.of("q", "nothing to search for")
    return SearchTerms(name_prefixes=tuple(tokens))
