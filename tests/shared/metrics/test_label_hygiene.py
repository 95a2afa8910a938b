"""Every metric family follows Prometheus's naming and keeps its labels low-cardinality; a request is
timed under its route template, never its path."""

import importlib
import pkgutil

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

import shared.metrics.families
from shared.health import install_probes

# Labels that would carry a person, a number or an account: one series per value, unbounded.
FORBIDDEN_LABELS = {"phone", "to", "from", "number", "phone_number", "contact_id", "account_id", "user_id",
                    "message_id", "message_sid", "path", "url", "email", "body", "job_id"}
UNITS = ("_seconds", "_bytes", "_messages", "_documents", "_total")


def _product_families():
    for module in pkgutil.iter_modules(shared.metrics.families.__path__):
        importlib.import_module(f"shared.metrics.families.{module.name}")
    return [family for family in REGISTRY.collect()
            if not family.name.startswith(("python_", "process_"))]


def test_every_family_is_named_with_its_unit_and_labelled_without_ids():
    families = _product_families()
    assert len(families) >= 17
    for family in families:
        labels = {label for sample in family.samples for label in sample.labels}
        declared = set(getattr(REGISTRY._names_to_collectors.get(family.name), "_labelnames", ()))
        assert not (labels | declared) & FORBIDDEN_LABELS, family.name
        if family.type == "counter":
            assert all(sample.name.endswith(("_total", "_created")) for sample in family.samples), family.name
        elif family.type == "histogram":
            assert family.name.endswith("_seconds"), family.name
        else:
            assert family.name.endswith(UNITS), family.name
        assert family.documentation, family.name


async def test_a_request_is_timed_under_its_route_template_not_its_path():
    app = FastAPI()
    install_probes(app, service="label-test", needs_runtime=False)

    @app.get("/v1/contacts/{contact_id}")
    async def read(contact_id: str) -> dict:
        return {"id": contact_id}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/v1/contacts/c-8f3e2a9155")).status_code == 200
        assert (await client.get("/no/such/+15125550100")).status_code == 404
        exposed = (await client.get("/metrics")).text
    samples = [sample for family in text_string_to_metric_families(exposed) for sample in family.samples
               if sample.labels.get("service") == "label-test"]
    routes = {sample.labels["route"] for sample in samples if sample.name.endswith("_count")}
    assert {"/v1/contacts/{contact_id}", "unmatched"} <= routes
    assert not any("c-8f3e2a9155" in str(s.labels) or "+1512" in str(s.labels) for s in samples)
    statuses = {(s.labels["route"], s.labels["status"]) for s in samples if s.name.endswith("_count")}
    assert ("/v1/contacts/{contact_id}", "200") in statuses and ("unmatched", "404") in statuses


@pytest.mark.parametrize("value, problem", [("abc", "valid integer"), ("70000", "less than or equal to 65535"), ("0", "greater than or equal to 1")])
def test_a_malformed_port_is_refused_at_start_up_naming_the_variable(monkeypatch, value, problem):
    from services.messaging.settings import MessagingSettings
    from shared.settings import load_settings

    monkeypatch.setenv("MESSAGING_WORKER_HTTP_PORT", value)
    with pytest.raises(SystemExit) as refused:
        load_settings(MessagingSettings)
    message = str(refused.value.code)
    assert "MESSAGING_WORKER_HTTP_PORT" in message and problem in message and repr(value) in message
