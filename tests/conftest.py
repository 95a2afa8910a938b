"""Fixtures every test tier shares: the real infrastructure and a run id."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
INFRA_SCRIPT = REPO_ROOT / "deploy" / "local" / "infra"


def _infra_environment() -> dict[str, str]:
    """Start Kafka and the MongoDB-wire server (idempotent) and return their addresses."""
    subprocess.run([str(INFRA_SCRIPT), "up"], check=True)
    exported = subprocess.run([str(INFRA_SCRIPT), "env"], check=True, capture_output=True, text=True).stdout
    environment = {}
    for line in exported.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        environment[name] = value.strip("'\"")
    return environment


@pytest.fixture(scope="session")
def infra() -> dict[str, str]:
    environment = _infra_environment()
    os.environ.update(environment)
    return environment


@pytest.fixture(scope="session")
def run_id() -> str:
    """Distinguishes this test run's databases from any other run's."""
    return uuid.uuid4().hex[:8]
