"""Patterns of words (phrases.yaml) matched against a sentence's words."""

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

GAP = "*"
NAME = "NAME"
MAX_GAP = 2


@lru_cache(maxsize=100_000)
def same_word(expected: str, word: str) -> bool:
    """Equal, or within the typing errors a word of its length is allowed (see phrases.yaml)."""
    if expected == word:
        return True
    allowed = 2 if len(expected) >= 8 else 1 if len(expected) >= 5 else 0
    return allowed > 0 and OSA.distance(expected, word, score_cutoff=allowed) <= allowed


@dataclass(frozen=True)
class Pattern:
    text: str
    steps: tuple[tuple[str, frozenset[str]], ...]  # (kind, words): kind is "word", "gap" or "name"
    whole_sentence: bool

    def matches(self, words: list[str], not_names: frozenset[str]) -> bool:
        if self.whole_sentence:
            return self._from(0, words, 0, not_names)
        return any(self._from(0, words, start, not_names) for start in range(len(words)))

    def _from(self, step: int, words: list[str], at: int, not_names: frozenset[str]) -> bool:
        if step == len(self.steps):
            return not self.whole_sentence or at == len(words)
        kind, choices = self.steps[step]
        if kind == "gap":
            return any(self._from(step + 1, words, at + skip, not_names) for skip in range(MAX_GAP + 1) if at + skip <= len(words))
        if kind == "name":
            return any(
                self._from(step + 1, words, at + size, not_names)
                for size in (1, 2)
                if at + size <= len(words) and not not_names.intersection(words[at : at + size])
            )
        return at < len(words) and any(same_word(choice, words[at]) for choice in choices) and self._from(step + 1, words, at + 1, not_names)


def compile_pattern(text: str, groups: dict[str, list[str]]) -> Pattern:
    steps = []
    for token in text.split():
        if token == GAP:
            steps.append(("gap", frozenset()))
        elif token == NAME:
            steps.append(("name", frozenset()))
        elif token.isupper():
            steps.append(("word", frozenset(groups[token])))
        else:
            steps.append(("word", frozenset([token])))
    return Pattern(text, tuple(steps), whole_sentence=NAME in text.split())
