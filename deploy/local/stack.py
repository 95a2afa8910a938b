"""Start and stop every process of the product on this machine.

    python deploy/local/stack.py up   [--state-dir DIR] [--port-base 8000] [--workers 2]
                                      [--database-suffix S] [--topic-namespace NS]
    python deploy/local/stack.py down [--state-dir DIR]
    python deploy/local/stack.py stop  NAME [--state-dir DIR] [--kill]   one process (SIGTERM, or SIGKILL)
    python deploy/local/stack.py start NAME [--state-dir DIR]            start it again, as `up` did

`up` expects the infrastructure to be running (deploy/local/infra up) and its
addresses in KAFKA_BOOTSTRAP_SERVERS and MONGO_URL. It writes the environment it
gave the services to DIR/stack.env, their logs to DIR/logs/, and waits until
every process answers /healthz (send workers on port base + 10 + n).
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER_PORT_OFFSET = 10


@dataclass(frozen=True)
class Process:
    name: str
    module: str
    args: tuple[str, ...] = ()
    port_offset: int | None = None
    # The variable naming this process's own port, for processes that share one settings class.
    port_variable: str | None = None


def processes(workers: int) -> list[Process]:
    web = [
        Process("carrier", "services.sandbox_carrier", port_offset=90),
        Process("contacts", "services.contacts", port_offset=1),
        Process("messaging", "services.messaging", port_offset=2),
        Process("numbers", "services.numbers", port_offset=3),
        Process("notifications", "services.notifications", port_offset=4),
        Process("gateway", "services.gateway", port_offset=0),
    ]
    # Each send worker serves its probes and /metrics on a port of its own: base + 10 + n.
    send_workers = [
        Process(f"messaging-worker-{n}", "services.messaging", ("worker",), port_offset=WORKER_PORT_OFFSET + n,
                port_variable="MESSAGING_WORKER_HTTP_PORT")
        for n in range(1, workers + 1)
    ]
    return web + send_workers


def stack_environment(port_base: int, database_suffix: str, topic_namespace: str) -> dict[str, str]:
    """Every setting the services need, with fresh sandbox secrets for this stack."""
    url = lambda offset: f"http://127.0.0.1:{port_base + offset}"  # noqa: E731
    account_sid = "AC" + secrets.token_hex(16)
    auth_token = secrets.token_hex(16)
    environment = {
        "KAFKA_TOPIC_NAMESPACE": topic_namespace,
        "INTERNAL_AUTH_SECRET": secrets.token_urlsafe(32),
        "GATEWAY_JWT_SECRET": secrets.token_urlsafe(32),
        "MESSAGING_MEDIA_LINK_SECRET": secrets.token_urlsafe(32),
        "TWILIO_ACCOUNT_SID": account_sid,
        "TWILIO_AUTH_TOKEN": auth_token,
        "TWILIO_API_BASE_URL": url(90),
        "CARRIER_ACCOUNT_SID": account_sid,
        "CARRIER_AUTH_TOKEN": auth_token,
        "CARRIER_PORT": str(port_base + 90),
        "GATEWAY_PUBLIC_URL": url(0),
        "GATEWAY_HTTP_PORT": str(port_base),
        "GATEWAY_CONTACTS_URL": url(1),
        "GATEWAY_MESSAGING_URL": url(2),
        "GATEWAY_NUMBERS_URL": url(3),
        "GATEWAY_NOTIFICATIONS_URL": url(4),
        "MESSAGING_CONTACTS_URL": url(1),
        "GATEWAY_WORKERS": "2",
    }
    for offset, service in enumerate(("contacts", "messaging", "numbers", "notifications"), start=1):
        prefix = service.upper()
        environment[f"{prefix}_HTTP_PORT"] = str(port_base + offset)
        environment[f"{prefix}_DATABASE"] = service + database_suffix
    environment["GATEWAY_DATABASE"] = "gateway" + database_suffix
    return environment


def _start(process: Process, environment: dict[str, str], logs: Path) -> int:
    if process.port_variable:
        environment = {**environment, process.port_variable: str(int(environment["GATEWAY_HTTP_PORT"]) + process.port_offset)}
    log_file = open(logs / f"{process.name}.log", "ab")
    child = subprocess.Popen(
        [sys.executable, "-m", process.module, *process.args],
        cwd=REPO_ROOT,
        env=environment,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return child.pid


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_until_healthy(name: str, url: str, pid: int, logs: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if _healthy(url):
            return
        if not _alive(pid):
            break
        time.sleep(0.2)
    tail = (logs / f"{name}.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"stack: {name} did not become healthy at {url}\n--- {name}.log ---\n{tail}")


def _alive(pid: int) -> bool:
    """Whether `pid` runs; one that exited and waits to be reaped (a zombie: its parent, this
    script, exited long ago) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:  # gone meanwhile, or no /proc (macOS): kill's answer stands
        return not Path("/proc/self").exists()


def up(state_dir: Path, port_base: int, workers: int, database_suffix: str, topic_namespace: str) -> None:
    if (state_dir / "pids.json").exists():
        down(state_dir)
    logs = state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stack_env = stack_environment(port_base, database_suffix, topic_namespace)
    environment = {**os.environ, **stack_env}
    pids = {}
    for process in processes(workers):
        pids[process.name] = _start(process, environment, logs)
    (state_dir / "pids.json").write_text(json.dumps(pids))
    (state_dir / "stack.env").write_text("".join(f"export {k}='{v}'\n" for k, v in stack_env.items()))
    # On a busy machine starting every process takes longer: CRM_STACK_START_SECONDS gives it more time.
    deadline = time.monotonic() + float(os.environ.get("CRM_STACK_START_SECONDS", "90"))
    try:
        for process in processes(workers):
            if process.port_offset is not None:
                _wait_until_healthy(process.name, f"http://127.0.0.1:{port_base + process.port_offset}", pids[process.name], logs, deadline)
        for process in processes(workers):
            if not _alive(pids[process.name]):
                raise SystemExit(f"stack: {process.name} exited; see {logs / (process.name + '.log')}")
    except SystemExit:
        down(state_dir)  # a stack that did not come up leaves nothing running
        raise


def stop_one(state_dir: Path, name: str, sig: int = signal.SIGTERM) -> None:
    """Stop one process of the stack (SIGKILL after 15 s if a SIGTERM was not enough)."""
    pids = json.loads((state_dir / "pids.json").read_text())
    if name not in pids:
        raise SystemExit(f"stack: no process named {name}; the stack has {', '.join(pids)}")
    _signal_group(pids[name], sig)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _alive(pids[name]):
        time.sleep(0.05)
    _signal_group(pids[name], signal.SIGKILL)


def start_one(state_dir: Path, name: str) -> None:
    """Start one stopped process again with the environment `up` gave it; wait until it answers."""
    pids = json.loads((state_dir / "pids.json").read_text())
    workers = sum(1 for known in pids if known.startswith("messaging-worker-"))
    process = next((p for p in processes(workers) if p.name == name), None)
    if process is None:
        raise SystemExit(f"stack: no process named {name}; the stack has {', '.join(pids)}")
    if _alive(pids[name]):
        raise SystemExit(f"stack: {name} is still running (pid {pids[name]})")
    stack_env = _read_env_file(state_dir / "stack.env")
    logs = state_dir / "logs"
    pids[name] = _start(process, {**os.environ, **stack_env}, logs)
    (state_dir / "pids.json").write_text(json.dumps(pids))
    if process.port_offset is not None:
        port_base = int(stack_env["GATEWAY_HTTP_PORT"])
        _wait_until_healthy(name, f"http://127.0.0.1:{port_base + process.port_offset}", pids[name], logs,
                            time.monotonic() + float(os.environ.get("CRM_STACK_START_SECONDS", "90")))


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = value.strip("'")
    return values


def down(state_dir: Path) -> None:
    pid_file = state_dir / "pids.json"
    if not pid_file.exists():
        return
    pids = json.loads(pid_file.read_text())
    for pid in pids.values():
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids.values()):
        time.sleep(0.1)
    for pid in pids.values():
        _signal_group(pid, signal.SIGKILL)
    pid_file.unlink()


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "stop", "start"])
    parser.add_argument("name", nargs="?", help="stop/start: the process (gateway, messaging-worker-1, ...)")
    parser.add_argument("--kill", action="store_true", help="stop: SIGKILL at once instead of SIGTERM")
    parser.add_argument("--state-dir", type=Path, default=REPO_ROOT / ".run" / "stack")
    parser.add_argument("--port-base", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-suffix", default="")
    parser.add_argument("--topic-namespace", default="", help="prefix for every Kafka topic and consumer group")
    options = parser.parse_args()
    options.state_dir.mkdir(parents=True, exist_ok=True)
    if options.command in ("stop", "start") and not options.name:
        parser.error(f"{options.command} needs the name of a process")
    if options.command == "up":
        up(options.state_dir, options.port_base, options.workers, options.database_suffix, options.topic_namespace)
    elif options.command == "stop":
        stop_one(options.state_dir, options.name, signal.SIGKILL if options.kill else signal.SIGTERM)
    elif options.command == "start":
        start_one(options.state_dir, options.name)
    else:
        down(options.state_dir)


if __name__ == "__main__":
    main()
