"""The whole product running as real processes, the way `deploy/local/run` starts it."""

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT

STACK = REPO_ROOT / "deploy" / "local" / "stack.py"
# Several stacks can run on one machine at once when each is given its own port base.
PORT_BASE = int(os.environ.get("CRM_E2E_PORT_BASE", "18000"))


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = value.strip("'")
    return values


@pytest.fixture(scope="session")
def stack(infra, run_id, tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("stack")
    command = [sys.executable, str(STACK)]
    subprocess.run(
        [*command, "up", "--state-dir", str(state_dir), "--port-base", str(PORT_BASE), "--database-suffix", f"_e2e_{run_id}",
         "--topic-namespace", f"e2e-{run_id}."],
        # The texts go to real US time zones at whatever hour the tests run; quiet hours have their own tests.
        check=True, env={**os.environ, **infra, "MESSAGING_QUIET_HOURS_ENFORCED": "false"},
    )
    try:
        yield _read_env_file(state_dir / "stack.env")
    finally:
        subprocess.run([*command, "down", "--state-dir", str(state_dir)], check=True)


@pytest.fixture
async def gateway(stack):
    async with httpx.AsyncClient(base_url=stack["GATEWAY_PUBLIC_URL"], timeout=20) as client:
        yield client


@pytest.fixture
async def carrier(stack):
    auth = (stack["CARRIER_ACCOUNT_SID"], stack["CARRIER_AUTH_TOKEN"])
    async with httpx.AsyncClient(base_url=stack["TWILIO_API_BASE_URL"], auth=auth, timeout=20) as client:
        yield client
