"""A send worker stopped (SIGTERM) in the middle of a bulk send exits within its grace period, and the
worker started in its place (as an orchestrator starts a new pod while the old one stops) sends the
rest: every text reaches the carrier exactly once."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.conftest import PORT_BASE, STACK, _read_env_file
from tests.faults.drill import Account, import_groups, open_account
from tests.faults.settings import drill_settings
from tests.support.waiting import eventually

# A bulk send of a few thousand texts, as an orchestrator would stop a worker in the middle of one.
TEXTS = 3000
GRACE_SECONDS = 10
# A stack of its own (one send worker), on ports of its own beside the e2e stack's.
SHUTDOWN_PORT_BASE = PORT_BASE + 200
WORKER = "messaging-worker-1"
NEXT_WORKER_PORT = SHUTDOWN_PORT_BASE + 12  # where stack.py would put a second worker


def _stack(state_dir: Path, *arguments: str, environment: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, str(STACK), *arguments, "--state-dir", str(state_dir)], check=True,
                   env=environment or os.environ.copy())


@pytest.fixture(scope="module")
def one_worker_stack(infra, run_id, tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("shutdown-stack")
    environment = {**os.environ, **infra, **drill_settings(), "SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
                   "CRM_STACK_START_SECONDS": os.environ.get("CRM_STACK_START_SECONDS", "180")}
    try:
        _stack(state_dir, "up", "--port-base", str(SHUTDOWN_PORT_BASE), "--workers", "1",
               "--database-suffix", f"_shutdown_{run_id}", "--topic-namespace", f"shutdown-{run_id}.",
               environment=environment)
        yield state_dir, _read_env_file(state_dir / "stack.env"), environment
    finally:
        _stack(state_dir, "down")


@pytest.fixture
def next_worker(one_worker_stack):
    """Starts a send worker of the stack's (its own process, as deploy/local/stack.py starts them)."""
    state_dir, stack_env, environment = one_worker_stack
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        log = open(state_dir / "logs" / "messaging-worker-next.log", "ab")
        worker = subprocess.Popen(
            [sys.executable, "-m", "services.messaging", "worker"], cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**environment, **stack_env, "MESSAGING_WORKER_HTTP_PORT": str(NEXT_WORKER_PORT)},
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture(scope="module")
async def account(infra, one_worker_stack):
    _, stack_env, _ = one_worker_stack
    account = await open_account(stack_env, infra["MONGO_URL"], password=f"Shutdown {uuid.uuid4()}")
    try:
        yield account
    finally:
        await account.gateway.aclose()
        await account.carrier.aclose()


def _running(pid: int) -> bool:
    """Whether `pid` runs (a zombie, exited and not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


async def _carrier_texts(account: Account, marker: str) -> list[dict]:
    log = (await account.carrier.get("/sandbox/messages")).json()["messages"]
    return [entry for entry in log if entry["body"].startswith(marker)]


async def test_a_worker_stopped_mid_send_exits_in_its_grace_period_and_the_next_sends_the_rest_once(
    account, one_worker_stack, next_worker
):
    state_dir, _, _ = one_worker_stack
    started = time.monotonic()
    await import_groups(account, {"shutdown": TEXTS})
    imported = time.monotonic()
    marker = f"[shutdown-{uuid.uuid4().hex[:6]}]"
    created = await account.gateway.post("/api/bulk-sends", json={
        "body": marker + " Hi {first_name}, the polls are open until 8pm.",
        "selection": {"filter": {"tags_any": ["shutdown"]}}, "idempotency_key": f"shutdown-{uuid.uuid4().hex}",
    })
    assert created.status_code == 202, created.text

    async def a_fifth_out() -> bool:
        return len(await _carrier_texts(account, marker)) >= TEXTS // 5

    await eventually(a_fifth_out, timeout=300, interval=0.2, what="a fifth of the texts at the carrier")
    first_worker = json.loads((state_dir / "pids.json").read_text())[WORKER]
    at_stop = len(await _carrier_texts(account, marker))
    os.kill(first_worker, signal.SIGTERM)
    stopped_at = time.monotonic()
    replacement = next_worker()
    while _running(first_worker) and time.monotonic() - stopped_at < GRACE_SECONDS * 3:
        await asyncio.sleep(0.05)
    exit_seconds = time.monotonic() - stopped_at
    at_exit = len(await _carrier_texts(account, marker))

    async def all_out() -> list[dict] | None:
        texts = await _carrier_texts(account, marker)
        return texts if len(texts) >= TEXTS else None

    await eventually(all_out, timeout=300, interval=0.5, what="every text at the carrier")
    drained = time.monotonic()

    async def job_over() -> bool:
        job = (await account.gateway.get(f"/api/bulk-sends/{created.json()['job_id']}")).json()
        return job["status"] == "completed" and job["queued"] == 0

    # Once the job has nothing left queued, no worker holds a text of it that could still go twice.
    await eventually(job_over, timeout=60, interval=0.5, what="the bulk send completed")
    texts = await _carrier_texts(account, marker)
    print(f"import {imported - started:.1f}s, a fifth out {stopped_at - imported:.1f}s, exit {exit_seconds:.1f}s, "
          f"the rest {drained - stopped_at:.1f}s; at the carrier: {at_stop} at the stop, {at_exit} at the exit")

    per_text = Counter((entry["to"], entry["body"]) for entry in texts)
    wanted = {person["e164"] for person in account.groups["shutdown"]}
    assert {to for to, _ in per_text} == wanted
    assert [text for text, count in per_text.items() if count > 1] == []
    assert len(texts) == TEXTS
    assert not _running(first_worker) and replacement.poll() is None
    assert exit_seconds <= GRACE_SECONDS, f"the worker took {exit_seconds:.1f}s to exit (grace {GRACE_SECONDS}s)"
    assert at_exit < TEXTS, "the worker finished the whole send before it was stopped: nothing was left to hand over"
