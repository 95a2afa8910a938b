"""A reply as words: Unicode folded to plain letters, lower case, cut into sentences."""

import re
import unicodedata

from unidecode import unidecode

_SENTENCE_BREAKS = re.compile(r"[.!?;,\n\u00a1\u00bf]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_NOT_A_WORD = re.compile(r"[^a-z0-9#]+")
_REPEATED = re.compile(r"([a-z])\1{2,}")


def folded(text: str) -> str:
    """NFKC, then the closest ASCII (accents dropped: 'más' -> 'mas'), lower case, apostrophes gone."""
    plain = unidecode(unicodedata.normalize("NFKC", text or ""))
    return _APOSTROPHES.sub("", plain.lower())


def words_of(fragment: str, spellings: dict[str, str]) -> list[str]:
    """The words of a folded fragment, letters repeated three times written once, shorthand spelt out."""
    words: list[str] = []
    for raw in _NOT_A_WORD.sub(" ", fragment).split():
        word = _REPEATED.sub(r"\1", raw)
        words.extend(spellings.get(word, word).split())
    return words


def sentences_of(text: str, spellings: dict[str, str]) -> list[list[str]]:
    """The reply's sentences as lists of words (empty ones left out)."""
    found = (words_of(fragment, spellings) for fragment in _SENTENCE_BREAKS.split(folded(text)))
    return [words for words in found if words]


def typed_words(text: str) -> list[str]:
    """The words as typed (folded, punctuation dropped, nothing spelt out): what keywords are matched on."""
    return _NOT_A_WORD.sub(" ", folded(text)).split()
