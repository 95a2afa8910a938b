"""docker-compose.yml (the MongoDB path for people with Docker) is a valid Compose file, refuses to
start without its secrets, and its Prometheus scrapes every service that serves HTTP.

`docker-compose config` needs no engine; .ci/run installs Debian's docker-compose when missing.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"INTERNAL_AUTH_SECRET": "s1", "GATEWAY_JWT_SECRET": "s2", "TWILIO_ACCOUNT_SID": "AC0", "TWILIO_AUTH_TOKEN": "s3"}

pytestmark = pytest.mark.skipif(
    shutil.which("docker-compose") is None and not os.environ.get("CI"),
    reason="docker-compose is not installed (apt-get install docker-compose; .ci/run installs it)",
)


def _compose_config(environment: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {name: value for name, value in os.environ.items() if name not in SECRETS}
    return subprocess.run(["docker-compose", "--project-directory", str(REPO_ROOT), "-f", str(REPO_ROOT / "docker-compose.yml"), "config"],
                          env={**clean, **environment}, capture_output=True, text=True, timeout=120)


def test_the_compose_file_is_valid_and_runs_prometheus_and_jaeger():
    result = _compose_config(SECRETS)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {"kafka", "mongo", "gateway", "contacts", "messaging", "messaging-worker", "numbers", "notifications",
            "carrier", "prometheus", "jaeger"} <= set(services)
    assert services["jaeger"]["image"].startswith("jaegertracing/")
    assert services["gateway"]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://jaeger:4317"


def test_compose_refuses_to_start_without_its_secrets():
    result = _compose_config({name: value for name, value in SECRETS.items() if name != "GATEWAY_JWT_SECRET"})
    assert result.returncode != 0
    assert "set GATEWAY_JWT_SECRET" in result.stderr


def test_prometheus_scrapes_every_service_that_serves_http():
    services = yaml.safe_load(_compose_config(SECRETS).stdout)["services"]
    (mount,) = services["prometheus"]["volumes"]
    scrape = yaml.safe_load(Path(mount.split(":")[0] if isinstance(mount, str) else mount["source"]).read_text())
    targets = {target for job in scrape["scrape_configs"] for config in job.get("static_configs", []) for target in config["targets"]}
    # Replicated services (the send workers) are found by name, every replica a target.
    targets |= {f"{name}:{config['port']}" for job in scrape["scrape_configs"]
                for config in job.get("dns_sd_configs", []) for name in config["names"]}
    serving = {f"{name}:{_port_of(service)}" for name, service in services.items() if _port_of(service)}
    assert serving and serving <= targets
    assert all(job.get("metrics_path", "/metrics") == "/metrics" for job in scrape["scrape_configs"])


def _port_of(service: dict) -> int | None:
    """The port a service's health check calls (each HTTP service's own port)."""
    test = " ".join(service.get("healthcheck", {}).get("test", []))
    if "http://localhost:" not in test:
        return None
    return int(test.split("http://localhost:")[1].split("/")[0])
