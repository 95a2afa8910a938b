"""Schemathesis against the whole public API, through the gateway of a running stack, signed in as
a real user: no input, whether the document allows it or not, makes any service answer 5xx, and
every declared answer matches its declared schema."""

import time
import uuid

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Bounded so that the whole run takes a few minutes on a loaded machine.
EXAMPLES_PER_OPERATION_AND_MODE = 10
# An endless event stream: its own tests read it.
NOT_FUZZED = {"/api/notifications/stream"}


@pytest.fixture(scope="module")
def signed_in(stack) -> dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    body = {
        "account_name": f"Fuzzed {tag}", "name": "Fuzz Owner", "email": f"fuzz-{tag}@example.org",
        "password": "correct horse battery", "primary_cell": "(512) 474-2000",
    }
    signed_up = httpx.post(f"{stack['GATEWAY_PUBLIC_URL']}/api/accounts", timeout=30, json=body)
    assert signed_up.status_code == 202, signed_up.text
    login = {"email": body["email"], "password": body["password"]}
    signed_in = httpx.post(f"{stack['GATEWAY_PUBLIC_URL']}/api/auth/login", timeout=30, json=login)
    assert signed_in.status_code == 200, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['access_token']}"}


def _fuzz(operation, mode: GenerationMode, *, base_url: str, headers: dict[str, str], failures: list[str]) -> int:
    """Runs the bounded examples of one operation in one mode; records failures instead of
    shrinking them, so that one run reports every operation that fails."""
    calls = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION_AND_MODE, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True, database=None)
    def run(case):
        nonlocal calls
        calls += 1
        try:
            case.call_and_validate(
                base_url=base_url, headers=headers, timeout=30, checks=[not_a_server_error, response_schema_conformance]
            )
        except (AssertionError, BaseExceptionGroup) as failure:  # schemathesis' Failure and FailureGroup
            failures.append(f"{operation.label} [{mode.value}]: {str(failure).strip()[:1500]}\n  {case.as_curl_command()}")

    run()
    return calls


def test_no_server_errors_and_every_answer_as_declared(stack, signed_in):
    base_url = stack["GATEWAY_PUBLIC_URL"]
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [operation for operation in operations if operation.path not in NOT_FUZZED]
    assert len(operations) > 50
    failures: list[str] = []
    started, calls = time.monotonic(), 0
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            calls += _fuzz(operation, mode, base_url=base_url, headers=signed_in, failures=failures)
    print(f"fuzzed {len(operations)} operations with {calls} requests in {time.monotonic() - started:.0f} s")
    assert calls > len(operations) * 5
    assert failures == [], "\n\n".join(failures)
