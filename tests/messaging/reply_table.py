"""The labelled replies (fixtures/replies.csv) and the classifier's precision and recall on them."""

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from services.messaging.domain.reply_classifier import REPLY_KINDS, classify

TABLE = Path(__file__).with_name("fixtures") / "replies.csv"


@dataclass(frozen=True)
class Reply:
    text: str
    label: str
    language: str


@dataclass(frozen=True)
class Score:
    kind: str
    labelled: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def load_table(path: Path = TABLE) -> list[Reply]:
    with path.open(encoding="utf-8", newline="") as rows:
        return [Reply(row["text"], row["label"], row["language"]) for row in csv.DictReader(rows)]


def scores(replies: list[Reply]) -> tuple[dict[str, Score], list[tuple[Reply, str]]]:
    """Per kind (and for "revokes": keyword or revocation, both opting out at once), with the misclassified replies."""
    predicted = [(reply, classify(reply.text).kind) for reply in replies]
    by_kind = {kind: _score(kind, predicted, {kind}) for kind in REPLY_KINDS}
    by_kind["revokes"] = _score("revokes", predicted, {"opt_out_keyword", "revocation"})
    return by_kind, [(reply, kind) for reply, kind in predicted if kind != reply.label]


def _score(name: str, predicted: list[tuple[Reply, str]], kinds: set[str]) -> Score:
    labelled = sum(reply.label in kinds for reply, _ in predicted)
    chosen = sum(kind in kinds for _, kind in predicted)
    correct = sum(reply.label in kinds and kind in kinds for reply, kind in predicted)
    return Score(name, labelled, chosen, correct)


def table_summary(replies: list[Reply]) -> Counter:
    return Counter((reply.label, reply.language) for reply in replies)
