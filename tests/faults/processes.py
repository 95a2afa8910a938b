"""The processes a fault drill breaks: a Kafka and a MongoDB-wire server of its own (so that
stopping them disturbs nothing else on the machine), and a whole product stack on top."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
INFRA = REPO_ROOT / "deploy" / "local" / "infra"
STACK = REPO_ROOT / "deploy" / "local" / "stack.py"
STOP_GRACE_SECONDS = 60


@dataclass
class DrillInfra:
    """Kafka and the MongoDB-wire server on free ports, with their state under `state_dir`."""

    state_dir: Path
    ports: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ports = self.ports or {
            "KAFKA_PORT": str(free_port()), "KAFKA_CONTROLLER_PORT": str(free_port()), "MONGO_PORT": str(free_port()),
        }

    @property
    def _environment(self) -> dict[str, str]:
        return {**os.environ, **self.ports, "CRM_STATE_DIR": str(self.state_dir)}

    def up(self) -> None:
        """Start whichever of the two is not running, and wait until both answer."""
        subprocess.run([str(INFRA), "up"], check=True, env=self._environment)

    def down(self) -> None:
        subprocess.run([str(INFRA), "down"], check=False, env=self._environment)

    def addresses(self) -> dict[str, str]:
        printed = subprocess.run([str(INFRA), "env"], check=True, env=self._environment, capture_output=True, text=True).stdout
        addresses = {}
        for line in printed.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            addresses[name] = value.strip("'\"")
        return addresses

    def stop_kafka(self) -> None:
        self._stop(self.state_dir / "kafka.pid")

    def stop_store(self) -> None:
        self._stop(self.state_dir / "mongo.pid")

    @staticmethod
    def _stop(pid_file: Path) -> None:
        pid = int(pid_file.read_text())
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@dataclass
class DrillStack:
    """Every service of the product, started by deploy/local/stack.py, one process at a time breakable."""

    state_dir: Path
    infra: dict[str, str]
    port_base: int
    workers: int = 2
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def _environment(self) -> dict[str, str]:
        return {**os.environ, **self.infra, **self.settings}

    def _stack(self, *arguments: str) -> None:
        subprocess.run([sys.executable, str(STACK), *arguments, "--state-dir", str(self.state_dir)],
                       check=True, env=self._environment)

    def up(self, run_id: str) -> dict[str, str]:
        """Start the stack; returns the environment it gave the services."""
        try:
            self._stack("up", "--port-base", str(self.port_base), "--workers", str(self.workers),
                        "--database-suffix", f"_drill_{run_id}", "--topic-namespace", f"drill-{run_id}.")
        except subprocess.CalledProcessError:
            self.down()  # what did start must not outlive the failure
            raise
        values = {}
        for line in (self.state_dir / "stack.env").read_text().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            values[name] = value.strip("'")
        return values

    def down(self) -> None:
        self._stack("down")

    def kill(self, name: str) -> None:
        self._stack("stop", name, "--kill")

    def stop(self, name: str) -> None:
        self._stack("stop", name)

    def start(self, name: str) -> None:
        self._stack("start", name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
