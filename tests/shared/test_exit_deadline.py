"""A process told to stop ends within its grace period even when its orderly stop hangs."""

import signal
import socket
import subprocess
import sys
import textwrap
import time

from tests.conftest import REPO_ROOT

GRACE_SECONDS = 4.0

# A service whose shutdown never finishes (as a close waiting on a broker that is away).
HANGING_SERVICE = textwrap.dedent(
    """
    import asyncio, contextlib, logging, sys
    from fastapi import FastAPI
    from shared.serving import serve

    logging.basicConfig(level=logging.INFO)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        print("stopping", flush=True)
        await asyncio.Event().wait()

    serve(FastAPI(lifespan=lifespan), host="127.0.0.1", port=int(sys.argv[1]), grace_seconds=%s)
    """
) % GRACE_SECONDS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port} within {timeout}s")


def test_a_service_whose_stop_hangs_exits_within_its_grace_period_and_says_so():
    port = _free_port()
    service = subprocess.Popen([sys.executable, "-c", HANGING_SERVICE, str(port)], cwd=REPO_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_listening(port)
        service.send_signal(signal.SIGTERM)
        told = time.monotonic()
        service.wait(timeout=30)
        seconds = time.monotonic() - told
        out, err = service.communicate()
    finally:
        service.kill()
    assert "stopping" in out, "the orderly stop never began"
    assert service.returncode == 1, err
    assert "still stopping after 3.2s: exiting now" in err
    assert 3.2 <= seconds < GRACE_SECONDS, f"the service took {seconds:.1f}s to exit"


def test_a_process_whose_stop_finishes_in_time_exits_cleanly():
    quick = "from shared.exit_deadline import arm_exit_deadline; arm_exit_deadline(5)"
    done = subprocess.run([sys.executable, "-c", quick], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "exiting now" not in done.stderr
