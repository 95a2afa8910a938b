"""Bulk job counters, repaired from what they count.

A job's counters move by one `$inc` after each message state is recorded. A process that
dies between the two leaves its job a count short for good, and the job never completes.
So, every so often, each unfinished job that has been quiet for a while (no state recorded
lately, so no `$inc` can still be on its way) is recounted from its messages' states and
its enqueued pages, and its counters are set to that if they differ and did not move meanwhile."""

import logging
from collections import Counter
from datetime import timedelta
from typing import Any

from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.bulk_jobs import COUNTS, job_counters
from services.messaging.adapters.store.common import now
from shared.periodic import Periodic

log = logging.getLogger(__name__)

# Jobs older than this are not looked at again.
RECENT = timedelta(days=7)


async def recount_quiet_jobs(store: MessagingStore, *, quiet_for: timedelta, jobs: list[dict] | None = None) -> int:
    """Recount each unfinished job (or each of `jobs`) quiet for `quiet_for`; returns how many
    were repaired."""
    repaired = 0
    for job in jobs if jobs is not None else await store.unfinished_jobs(created_since=now() - RECENT):
        pages = job.get("page_counts") or {}
        if len(pages) != len(job.get("pages_counted") or []):
            continue  # enqueued before pages kept their own counts: nothing exact to recount from
        states = await store.job_states(job["_id"])
        if any(state["at"] > now() - quiet_for for state in states):
            continue
        counts = recounted(pages.values(), states)
        if _without_zeros(counts) != _without_zeros(job.get("counts") or {}):
            if await store.replace_job_counts(job["_id"], expected=job.get("counts"), counts=counts):
                log.warning("bulk job %s recounted: %s, was %s", job["_id"], counts, job.get("counts"))
                repaired += 1
    return repaired


def recounted(pages, states: list[dict]) -> dict[str, Any]:
    """The job's `counts` document: its pages' counters plus what each state counts."""
    totals: Counter[str] = Counter()
    for page in pages:
        totals.update({counter["name"]: counter["count"] for counter in page})
    for state in states:
        totals.update(job_counters(state["status"], state))
    counts: dict[str, Any] = {}
    for name, value in totals.items():
        *parents, leaf = name.removeprefix(COUNTS).split(".")
        level = counts
        for parent in parents:
            level = level.setdefault(parent, {})
        level[leaf] = value
    return counts


def _without_zeros(counts: dict[str, Any]) -> dict[str, Any]:
    nested = {name: _without_zeros(value) if isinstance(value, dict) else value for name, value in counts.items()}
    return {name: value for name, value in nested.items() if value not in (0, {})}


def job_recounter(store: MessagingStore, *, quiet_for: timedelta, every: float) -> Periodic:
    """Runs `recount_quiet_jobs` every `every` seconds, from one interval after start, over the
    unfinished jobs whose counters did not move since the last pass: reading the states of a
    job still under way would be wasted work."""
    counters_seen: dict[str, Any] = {}

    async def recount() -> None:
        jobs = await store.unfinished_jobs(created_since=now() - RECENT)
        unmoved = [job for job in jobs if job["_id"] in counters_seen and counters_seen[job["_id"]] == job.get("counts")]
        counters_seen.clear()
        counters_seen.update({job["_id"]: job.get("counts") for job in jobs})
        await recount_quiet_jobs(store, quiet_for=quiet_for, jobs=unmoved)

    return Periodic(recount, every=every, what="recounting quiet bulk jobs", wait_first=True)
