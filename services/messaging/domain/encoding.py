"""How a text travels: GSM-7 or UCS-2, in how many segments, at what cost."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # two septets each

# Characters that force UCS-2 although a GSM-7 look-alike says the same.
REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": "",
    "\u2022": "-", "\u00b4": "'", "`": "'", "\u02bc": "'",
}

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class Replacement:
    original: str
    replacement: str
    count: int


@dataclass(frozen=True)
class Preview:
    body: str
    encoding: Encoding
    characters: int
    segments: int
    replacements: list[Replacement]
    suggested_body: str | None
    suggested_encoding: Encoding | None
    suggested_segments: int | None


def encoding_of(text: str) -> Encoding:
    return "GSM-7" if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text) else "UCS-2"


def segments_of(text: str) -> int:
    """Segments as carriers count them: 160/153 septets in GSM-7, 70/67 UTF-16 units in UCS-2.
    A character is never split between two parts: a two-septet GSM-7 character (an escape and
    its code) or a surrogate pair that does not fit in what is left of a part starts the next one."""
    if not text:
        return 0
    if encoding_of(text) == "GSM-7":
        sizes = [2 if ch in GSM7_EXTENDED else 1 for ch in text]
        single, part = 160, 153
    else:
        sizes = [len(ch.encode("utf-16-le")) // 2 for ch in text]
        single, part = 70, 67
    if sum(sizes) <= single:
        return 1
    return parts_needed(sizes, part)


def parts_needed(sizes: list[int], part: int) -> int:
    """How many parts of `part` units hold characters of these sizes, none split across two."""
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts


def with_replacements(text: str) -> tuple[str, list[Replacement]]:
    found = [Replacement(ch, rep, text.count(ch)) for ch, rep in REPLACEMENTS.items() if ch in text]
    for item in found:
        text = text.replace(item.original, item.replacement)
    return text, found


def preview(text: str) -> Preview:
    """What sending `text` costs in encoding and segments, and the GSM-7 look-alike offered instead."""
    encoding = encoding_of(text)
    replaced, replacements = with_replacements(text)
    offered = encoding == "UCS-2" and bool(replacements)
    return Preview(
        body=text,
        encoding=encoding,
        characters=len(text),
        segments=segments_of(text),
        replacements=replacements if offered else [],
        suggested_body=replaced if offered else None,
        suggested_encoding=encoding_of(replaced) if offered else None,
        suggested_segments=segments_of(replaced) if offered else None,
    )


def cost_of(segments: int, price_per_segment: Decimal) -> Decimal:
    return (price_per_segment * segments).quantize(Decimal("0.0001"))
