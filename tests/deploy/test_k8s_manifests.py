"""The Kubernetes manifests (deploy/k8s) against the real API types and the product's own code.

The Go test in deploy/k8s/validate renders the base and the production overlay with kustomize's
library and decodes every object strictly (Kubernetes kinds into k8s.io/api's types, KEDA's
kinds against the CRD schemas KEDA's module ships); it also leaves the rendered manifests here,
where each service's environment is read against its settings class.
"""

import os
import subprocess
from pathlib import Path
from unittest import mock

import pytest
import yaml
from pydantic import AliasChoices

from services.contacts.settings import ContactsSettings
from services.gateway.settings import GatewaySettings
from services.messaging.settings import MessagingSettings
from services.notifications.settings import NotificationsSettings
from services.numbers.settings import NumbersSettings
from shared import topics

REPO_ROOT = Path(__file__).resolve().parents[2]
VALIDATE_MODULE = REPO_ROOT / "deploy" / "k8s" / "validate"

# What each container command runs, and the settings class that process reads.
SETTINGS_OF_COMMAND = {
    ("python", "-m", "services.gateway"): GatewaySettings,
    ("python", "-m", "services.contacts"): ContactsSettings,
    ("python", "-m", "services.messaging"): MessagingSettings,
    ("python", "-m", "services.messaging", "worker"): MessagingSettings,
    ("python", "-m", "services.numbers"): NumbersSettings,
    ("python", "-m", "services.notifications"): NotificationsSettings,
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list[dict]]:
    """Runs the strict decoding and returns each kustomization's objects ("base", "production")."""
    into = tmp_path_factory.mktemp("rendered")
    environment = {**os.environ, "RENDERED_DIR": str(into), "GOFLAGS": "-modcacherw"}
    result = subprocess.run(["go", "test", "-count=1", "./..."], cwd=VALIDATE_MODULE, env=environment,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"deploy/k8s/validate failed:\n{result.stdout}\n{result.stderr}"
    return {path.stem: [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
            for path in into.glob("*.yaml")}


def test_every_object_decodes_strictly_against_the_kubernetes_and_keda_types(rendered):
    assert set(rendered) == {"base", "production"}
    kinds = {doc["kind"] for doc in rendered["production"]}
    assert {"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "ScaledObject",
            "StatefulSet", "Kafka", "KafkaNodePool", "KafkaTopic"} <= kinds


def _application_containers(objects: list[dict]):
    for doc in objects:
        if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                if tuple(container.get("command", ())) in SETTINGS_OF_COMMAND:
                    yield doc, container


def _environment_of(container: dict, objects: list[dict]) -> dict[str, str]:
    """The variables a container is given, with a stand-in for each Secret's value."""
    config_maps = {doc["metadata"]["name"]: doc.get("data", {}) for doc in objects if doc["kind"] == "ConfigMap"}
    environment = {}
    for source in container.get("envFrom", ()):
        assert "configMapRef" in source, f"{container['name']}: secrets are named one by one, not imported whole"
        environment.update(config_maps[source["configMapRef"]["name"]])
    for variable in container.get("env", ()):
        environment[variable["name"]] = variable.get("value", f"{variable['name'].lower()}-from-a-secret")
    return environment


def _variables_read_by(settings_class) -> set[str]:
    prefix = settings_class.model_config.get("env_prefix", "")
    names = set()
    for name, field in settings_class.model_fields.items():
        alias = field.validation_alias
        names |= {choice.upper() for choice in alias.choices} if isinstance(alias, AliasChoices) else {f"{prefix}{name}".upper()}
    return names


@pytest.mark.parametrize("overlay", ["base", "production"])
def test_every_variable_a_manifest_sets_is_a_setting_of_its_service_and_reads(rendered, overlay):
    objects = rendered[overlay]
    containers = list(_application_containers(objects))
    assert {tuple(c["command"]) for _, c in containers} == set(SETTINGS_OF_COMMAND)
    for workload, container in containers:
        settings_class = SETTINGS_OF_COMMAND[tuple(container["command"])]
        environment = _environment_of(container, objects)
        unknown = set(environment) - _variables_read_by(settings_class)
        assert not unknown, f"{workload['metadata']['name']} sets {sorted(unknown)}, which {settings_class.__name__} does not read"
        with mock.patch.dict(os.environ, environment, clear=True):
            settings = settings_class(_env_file=None)
        assert settings.environment == "production"
        if "http_port" in settings_class.model_fields and container.get("ports"):
            is_worker = container["command"][-1] == "worker"
            listening_on = settings.worker_http_port if is_worker else settings.http_port
            assert [p["containerPort"] for p in container["ports"]] == [listening_on]
            assert settings.http_host == "0.0.0.0"


def test_the_secrets_the_services_need_come_from_secrets(rendered):
    for workload, container in _application_containers(rendered["production"]):
        from_secrets = {v["name"] for v in container.get("env", ()) if "secretKeyRef" in v.get("valueFrom", {})}
        assert {"MONGO_URL", "INTERNAL_AUTH_SECRET"} <= from_secrets, workload["metadata"]["name"]
        if tuple(container["command"]) == ("python", "-m", "services.gateway"):
            assert {"GATEWAY_JWT_SECRET", "TWILIO_AUTH_TOKEN"} <= from_secrets


def test_every_topic_is_declared_with_the_partitions_the_product_expects(rendered):
    declared = {doc["spec"]["topicName"]: doc["spec"] for doc in rendered["production"] if doc["kind"] == "KafkaTopic"}
    assert set(declared) == set(topics.ALL_TOPICS)
    assert {spec["partitions"] for spec in declared.values()} == {topics.PARTITIONS}
    clusters = {doc["metadata"]["name"] for doc in rendered["production"] if doc["kind"] == "Kafka"}
    labelled = {doc["metadata"]["labels"]["strimzi.io/cluster"] for doc in rendered["production"]
                if doc["kind"] in ("KafkaTopic", "KafkaNodePool")}
    assert labelled == clusters == {"crm"}


def test_send_workers_scale_on_their_own_group_and_topic_up_to_one_pod_a_partition(rendered):
    (scaled,) = [doc for doc in rendered["production"] if doc["kind"] == "ScaledObject"]
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    assert trigger["metadata"]["topic"] == topics.MESSAGE_SEND_REQUESTED
    assert trigger["metadata"]["consumerGroup"] == MessagingSettings().worker_group
    (worker,) = [doc for doc in rendered["production"] if doc["kind"] == "Deployment" and doc["metadata"]["name"] == scaled["spec"]["scaleTargetRef"]["name"]]
    (container,) = worker["spec"]["template"]["spec"]["containers"]
    assert container["command"][-1] == "worker"
    consumers_per_pod = int(_environment_of(container, rendered["production"])["MESSAGING_WORKER_CONSUMERS"])
    assert scaled["spec"]["maxReplicaCount"] * consumers_per_pod == topics.PARTITIONS
    bootstrap = {doc["data"]["KAFKA_BOOTSTRAP_SERVERS"] for doc in rendered["production"]
                 if doc["kind"] == "ConfigMap" and "KAFKA_BOOTSTRAP_SERVERS" in doc.get("data", {})}
    assert bootstrap == {trigger["metadata"]["bootstrapServers"]}


def test_every_pod_runs_as_a_user_with_bounded_resources(rendered):
    for doc in rendered["production"]:
        if doc["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, doc["metadata"]["name"]
        for container in pod["containers"] + pod.get("initContainers", []):
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert {"requests", "limits"} <= set(container.get("resources", {})), container["name"]


def test_every_deployment_has_a_disruption_budget_and_a_service_for_its_port(rendered):
    objects = rendered["production"]
    budgets = [doc["spec"]["selector"]["matchLabels"] for doc in objects if doc["kind"] == "PodDisruptionBudget"]
    services = [doc["spec"]["selector"] for doc in objects if doc["kind"] == "Service"]
    for doc in objects:
        if doc["kind"] in ("Deployment", "StatefulSet"):
            labels = doc["spec"]["template"]["metadata"]["labels"]
            assert any(selector.items() <= labels.items() for selector in budgets), doc["metadata"]["name"]
            if any(container.get("ports") for container in doc["spec"]["template"]["spec"]["containers"]):
                assert any(selector.items() <= labels.items() for selector in services), doc["metadata"]["name"]


APPS = {
    "services.gateway": lambda: __import__("services.gateway.bootstrap", fromlist=["create_app"]).create_app(GatewaySettings()),
    "services.contacts": lambda: __import__("services.contacts.bootstrap", fromlist=["create_app"]).create_app(ContactsSettings()),
    "services.messaging": lambda: __import__("services.messaging.bootstrap", fromlist=["create_app"]).create_app(MessagingSettings()),
    "services.numbers": lambda: __import__("services.numbers.bootstrap", fromlist=["create_app"]).create_app(NumbersSettings()),
    "services.notifications": lambda: __import__("services.notifications.bootstrap", fromlist=["create_app"]).create_app(NotificationsSettings()),
    # A send worker has no API: its probes and /metrics are served by the probes app on its own port.
    "services.messaging worker": lambda: __import__("shared.health.server", fromlist=["probes_app"]).probes_app(service="messaging-worker", runtime=None),
}


def _app_started_by(command: list[str]):
    return APPS[" ".join(command[2:])]()


def test_every_service_is_probed_for_liveness_and_readiness_on_routes_its_app_has(rendered):
    for workload, container in _application_containers(rendered["production"]):
        probes = {kind: container[kind]["httpGet"]["path"] for kind in ("livenessProbe", "readinessProbe")}
        assert probes == {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}, workload["metadata"]["name"]
        routes = {getattr(route, "path", None) for route in _app_started_by(container["command"]).routes}
        assert set(probes.values()) <= routes, f"{workload['metadata']['name']}: {sorted(filter(None, routes))}"
