"""One product stack on an infrastructure of its own, broken one way per test."""

import uuid

import pytest

from tests.faults.drill import open_account, import_groups
from tests.faults.processes import DrillInfra, DrillStack
from tests.faults.scenarios import FAULTS, Breakables
from tests.faults.settings import drill_settings

TEXTS_PER_DRILL = 200
OUTAGE_SECONDS = 10.0
PORT_BASE = 18200


@pytest.fixture(scope="session")
def drill_infra(tmp_path_factory):
    infra = DrillInfra(tmp_path_factory.mktemp("drill-infra"))
    infra.up()
    try:
        yield infra
    finally:
        infra.down()


@pytest.fixture(scope="session")
def drill_stack(drill_infra, tmp_path_factory):
    stack = DrillStack(tmp_path_factory.mktemp("drill-stack"), drill_infra.addresses(), PORT_BASE,
                       settings=drill_settings())
    stack_env = stack.up(uuid.uuid4().hex[:8])
    try:
        yield stack, stack_env
    finally:
        stack.down()


@pytest.fixture(scope="session")
async def drill_account(drill_infra, drill_stack):
    stack, stack_env = drill_stack
    account = await open_account(stack_env, drill_infra.addresses()["MONGO_URL"], password=f"Drill {uuid.uuid4()}")
    await import_groups(account, {fault.name: TEXTS_PER_DRILL for fault in FAULTS})
    try:
        yield account
    finally:
        await account.gateway.aclose()
        await account.carrier.aclose()


@pytest.fixture
def breakables(drill_infra, drill_stack, drill_account) -> Breakables:
    return Breakables(drill_infra, drill_stack[0], drill_account.carrier, OUTAGE_SECONDS)
