"""A process told to stop ends within its grace period even when its orderly stop hangs."""

import asyncio
import signal
import subprocess
import sys
import textwrap
import time

from tests.conftest import REPO_ROOT
from tests.support.servers import free_port
from tests.support.waiting import eventually

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


async def _listening(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


async def test_a_service_whose_stop_hangs_exits_within_its_grace_period_and_says_so():
    port = free_port()
    service = subprocess.Popen([sys.executable, "-c", HANGING_SERVICE, str(port)], cwd=REPO_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        await eventually(lambda: _listening(port), timeout=60, interval=0.1, what=f"the service listening on {port}")
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
