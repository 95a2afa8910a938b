"""Reply classifier benchmark: precision and recall per class on the labelled replies.

    .venv/bin/python bench/reply_classifier.py

Prints the table's make-up (class x language), precision and recall of each class and of
"revokes" (an opt-out keyword or a revocation: both opt out at once), every misclassified
reply, and how long a classification takes.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.messaging.domain.reply_classifier import classify  # noqa: E402
from tests.messaging.reply_table import load_table, scores, table_summary  # noqa: E402


def main() -> None:
    replies = load_table()
    print(f"{len(replies)} labelled replies")
    for (label, language), count in sorted(table_summary(replies).items()):
        print(f"  {label:16} {language}  {count:4d}")
    by_kind, wrong = scores(replies)
    print(f"\n{'class':16} {'labelled':>8} {'predicted':>9} {'precision':>9} {'recall':>7}")
    for score in by_kind.values():
        print(f"{score.kind:16} {score.labelled:8d} {score.predicted:9d} {score.precision:9.3f} {score.recall:7.3f}")
    print(f"\nmisclassified: {len(wrong)}")
    for reply, kind in wrong:
        print(f"  {reply.label:16} -> {kind:16} {reply.text!r}")
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for reply in replies:
            classify(reply.text)
    per_reply = (time.perf_counter() - started) / (rounds * len(replies))
    print(f"\nclassification: {per_reply * 1e6:.0f} µs per reply ({1 / per_reply:,.0f} replies/s on one core)")


if __name__ == "__main__":
    main()
