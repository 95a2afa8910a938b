"""A bulk send in flight while something breaks: every text reaches the carrier exactly once,
every status is applied, no job is stuck, and every reply (its webhook sent six times over,
status callbacks replayed six times and shuffled) is stored once."""

import pytest

from tests.faults.drill import run
from tests.faults.scenarios import FAULTS


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
async def test_a_bulk_send_survives(fault, drill_account, breakables):
    outcome = await run(drill_account, fault.name, fault.name, lambda: fault.action(breakables))

    assert (outcome.lost, outcome.doubled) == (0, 0), outcome
    assert outcome.statuses_missing == 0, outcome
    assert outcome.job_status == "completed", outcome
    assert (outcome.replies_stored, outcome.replies_doubled) == (outcome.replies, 0), outcome
