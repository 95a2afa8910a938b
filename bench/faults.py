"""Fault tolerance, measured: a bulk send in flight through the whole product while one thing breaks.

    .venv/bin/python bench/faults.py [--texts 10000] [--outage-seconds 30] [--workers 2] [--only NAME ...]

Starts a Kafka and a MongoDB-wire server of its own (on free ports, so that stopping them disturbs
nothing else), every service with 2 send workers and the sandbox carrier, signs up an account and
imports one group of contacts per fault. Then for each fault: a bulk send to its group, the fault
once a fifth of the texts are at the carrier, replies from a dozen recipients with their webhooks
sent six times over, and status callbacks replayed six times and shuffled throughout. Prints a
table: texts lost and doubled at the carrier (counted by recipient and body in its log), statuses
not applied, the job's state, replies stored once, how long the fault lasted, and how long the
backlog took to drain after it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

from tests.faults.drill import Outcome, import_groups, open_account, run  # noqa: E402
from tests.faults.processes import DrillInfra, DrillStack  # noqa: E402
from tests.faults.scenarios import FAULTS, Breakables  # noqa: E402
from tests.faults.settings import drill_settings  # noqa: E402

PORT_BASE = 19400
# How long a backlog may take to drain, per text: the local store takes in about 4 texts a second
# while every status callback arrives six times over.
DRAIN_SECONDS_PER_TEXT = 0.6


def table(outcomes: list[Outcome]) -> str:
    titles = {fault.name: fault.title for fault in FAULTS}
    rows = [("fault", "texts", "lost", "doubled", "statuses missing", "job", "replies stored/sent (doubled)",
             "fault lasted", "drain after recovery")]
    rows += [(titles[o.fault], f"{o.texts:,}", str(o.lost), str(o.doubled), str(o.statuses_missing), o.job_status,
              f"{o.replies_stored}/{o.replies} ({o.replies_doubled})", f"{o.recovery_seconds:.1f} s",
              f"{o.drain_seconds:.1f} s") for o in outcomes]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=10_000, help="texts per fault")
    parser.add_argument("--outage-seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", choices=[fault.name for fault in FAULTS])
    options = parser.parse_args()
    faults = [fault for fault in FAULTS if not options.only or fault.name in options.only]

    with tempfile.TemporaryDirectory(prefix="fault-drill-") as scratch:
        infra = DrillInfra(Path(scratch) / "infra")
        infra.up()
        stack = DrillStack(Path(scratch) / "stack", infra.addresses(), PORT_BASE, workers=options.workers,
                           settings=drill_settings())
        try:
            started = time.monotonic()
            stack_env = stack.up(uuid.uuid4().hex[:8])
            print(f"stack up in {time.monotonic() - started:.1f} s", flush=True)
            account = await open_account(stack_env, infra.addresses()["MONGO_URL"], password=f"Drill {uuid.uuid4()}")
            started = time.monotonic()
            await import_groups(account, {fault.name: options.texts for fault in faults})
            print(f"{options.texts * len(faults):,} contacts imported and known to messaging in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
            breakables = Breakables(infra, stack, account.carrier, options.outage_seconds)
            outcomes = []
            for fault in faults:
                started = time.monotonic()
                outcomes.append(await run(account, fault.name, fault.name, lambda: fault.action(breakables),
                                          drain_timeout=max(900.0, options.texts * DRAIN_SECONDS_PER_TEXT)))
                print(f"{fault.title}: done in {time.monotonic() - started:.1f} s", flush=True)
            print()
            print(table(outcomes))
        finally:
            stack.down()
            infra.down()


if __name__ == "__main__":
    asyncio.run(main())
