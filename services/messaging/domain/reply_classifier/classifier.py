"""What an inbound text means for consent: an opt-out keyword, a revocation in other words, a
wrong-number reply, something a texter should read (ambiguous), or an ordinary reply.

Since 47 CFR 64.1200(a)(10) (in force from April 2025) a reply using stop, quit, end, revoke,
opt out, cancel or unsubscribe revokes consent per se, and any wording a reasonable person reads
as "stop texting me" must be honoured. So a reply is never ordinary while it holds a per se word:
if nothing says it is about texting, it is ambiguous and a person decides.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from services.messaging.domain.reply_classifier.matching import Pattern, compile_pattern, same_word
from services.messaging.domain.reply_classifier.text import sentences_of, typed_words

ReplyKind = Literal["opt_out_keyword", "revocation", "wrong_number", "ambiguous", "ordinary"]
REPLY_KINDS: tuple[ReplyKind, ...] = ("opt_out_keyword", "revocation", "wrong_number", "ambiguous", "ordinary")
PHRASES_FILE = Path(__file__).with_name("phrases.yaml")


@dataclass(frozen=True)
class Verdict:
    kind: ReplyKind
    matched: str | None = None  # the keyword, word or phrase that decided it
    wrong_number: bool = False  # also says the number reached the wrong person

    @property
    def revokes(self) -> bool:
        return self.kind in ("opt_out_keyword", "revocation")


@dataclass(frozen=True)
class Lexicon:
    per_se_words: frozenset[str]
    keywords: frozenset[str]
    unmistakable_words: frozenset[str]
    filler_words: frozenset[str]
    polite_words: frozenset[str]
    standalone_revocations: frozenset[str]
    ambiguous_words: frozenset[str]
    not_names: frozenset[str]
    spellings: dict[str, str]
    revocation_phrases: tuple[Pattern, ...]
    wrong_number_phrases: tuple[Pattern, ...]
    ambiguous_phrases: tuple[Pattern, ...]


@cache
def lexicon(path: Path = PHRASES_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = data["groups"]

    def patterns(name: str) -> tuple[Pattern, ...]:
        return tuple(compile_pattern(text, groups) for text in data[name])

    return Lexicon(
        per_se_words=frozenset(data["per_se_words"]),
        keywords=frozenset(data["keywords"]),
        unmistakable_words=frozenset(data["unmistakable_words"]),
        filler_words=frozenset(data["filler_words"]),
        polite_words=frozenset(data["polite_words"]),
        standalone_revocations=frozenset(data["standalone_revocations"]),
        ambiguous_words=frozenset(data["ambiguous_words"]),
        not_names=frozenset(data["not_names"]),
        spellings={str(key): str(value) for key, value in data["spellings"].items()},
        revocation_phrases=patterns("revocation_phrases"),
        wrong_number_phrases=patterns("wrong_number_phrases"),
        ambiguous_phrases=patterns("ambiguous_phrases"),
    )


def classify(body: str, words: Lexicon | None = None) -> Verdict:
    """The verdict on one inbound text."""
    words = words or lexicon()
    as_typed = " ".join(typed_words(body))
    if as_typed in words.keywords:
        return Verdict("opt_out_keyword", as_typed.upper())
    sentences = sentences_of(body, words.spellings)
    every_word = [word for sentence in sentences for word in sentence]
    wrong_number = _first_match(words.wrong_number_phrases, sentences, words)
    revocation = _revocation(sentences, every_word, words)
    if revocation:
        return Verdict("revocation", revocation, wrong_number=wrong_number is not None)
    if wrong_number:
        return Verdict("wrong_number", wrong_number, wrong_number=True)
    ambiguous = next((word for word in every_word if word in words.per_se_words | words.ambiguous_words), None)
    ambiguous = ambiguous or _first_match(words.ambiguous_phrases, sentences, words)
    if ambiguous:
        return Verdict("ambiguous", ambiguous)
    return Verdict("ordinary")


def _revocation(sentences: list[list[str]], every_word: list[str], words: Lexicon) -> str | None:
    """What in the reply says "stop texting me", or None."""
    for word in every_word:
        if any(same_word(unmistakable, word) for unmistakable in words.unmistakable_words):
            return word
    unadorned = [word for word in every_word if word not in words.polite_words]
    for candidate in (" ".join(every_word), " ".join(unadorned)):
        if candidate in words.standalone_revocations:
            return candidate
    for sentence in sentences:
        said = [word for word in sentence if word not in words.filler_words]
        if said and all(word in words.per_se_words for word in said):
            return " ".join(said)  # "Stop now!", "No. Stop it."
    return _first_match(words.revocation_phrases, sentences, words)


def _first_match(patterns: tuple[Pattern, ...], sentences: list[list[str]], words: Lexicon) -> str | None:
    for pattern in patterns:
        if any(pattern.matches(sentence, words.not_names) for sentence in sentences):
            return pattern.text
    return None
