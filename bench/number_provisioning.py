"""Numbers benchmark: number.needed -> number.provisioned latency, 100 users at once, voice webhook latency.

    eval "$(deploy/local/infra env)"; .venv/bin/python -m bench.number_provisioning [--sequential-users 30] [--voice-calls 300]

(Run it as a module, from the repository's root: it uses the numbers service's test builders.)

Runs the numbers service in-process against the real Kafka and MongoDB-wire server, buying from the
sandbox carrier served over HTTP (as the tests do). Prints:
- one user at a time: p50/p95 from producing number.needed to seeing number.provisioned on Kafka;
- 100 users at once: total time, numbers owned at the carrier for them, duplicates;
- the voice webhook, posted straight to the numbers service over HTTP (not through the gateway), p50/p99.
"""

import argparse
import asyncio
import os
import statistics
import time
import uuid

import httpx

from services.numbers.adapters.twilio_carrier import NumberWebhooks, TwilioCarrier
from services.numbers.adapters.twilio_messaging import MessagingWebhooks, TwilioA2P
from services.numbers.bootstrap import build_service, http_app, running
from services.sandbox_carrier.app import create_app as create_carrier_app
from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN
from services.sandbox_carrier.config import Settings as CarrierSettings
from shared import topics
from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from tests.numbers.builders import number_needed, user_created
from tests.numbers.conftest import SECRET, drop_database, numbers_settings, serving, start_contacts_view_at_end
from tests.support.kafka import produce, start_group_at_end, watching


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def wait_for(probe, timeout: float = 120.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        found = probe()
        if found:
            return found
        await asyncio.sleep(0.002)
    raise TimeoutError("waited too long")


async def main(sequential_users: int, voice_calls: int) -> None:
    infra = {"KAFKA_BOOTSTRAP_SERVERS": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
             "MONGO_URL": os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27027/")}
    run = uuid.uuid4().hex[:8]
    carrier_settings = CarrierSettings(_env_file=None, account_sid=SANDBOX_ACCOUNT_SID, auth_token=SANDBOX_AUTH_TOKEN)
    async with serving(create_carrier_app(carrier_settings)) as carrier_url:
        settings = numbers_settings(infra, database=f"numbers_bench_{run}", consumer_group=f"numbers-bench-{run}", carrier_url=carrier_url)
        await start_group_at_end(settings.kafka_bootstrap_servers, settings.consumer_group,
                                 [topics.USER_CREATED, topics.USER_UPDATED, topics.NUMBER_NEEDED],
                                 namespace=settings.kafka_topic_namespace)
        await start_contacts_view_at_end(settings)
        carrier = TwilioCarrier.connect(account_sid=SANDBOX_ACCOUNT_SID, auth_token=SANDBOX_AUTH_TOKEN, base_url=carrier_url,
                                        timeout=10, webhooks=NumberWebhooks.at_gateway(settings.gateway_public_url))
        a2p = TwilioA2P(carrier.client, MessagingWebhooks.at_gateway(settings.gateway_public_url), base_url=carrier_url)
        service = build_service(settings, carrier=carrier, a2p_carrier=a2p)
        try:
            async with (
                running(service),
                watching(settings.kafka_bootstrap_servers, [settings.kafka_topic_namespace + topics.NUMBER_PROVISIONED]) as events,
                httpx.AsyncClient(base_url=carrier_url, auth=(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN)) as control,
                serving(http_app(service)) as numbers_url,
                httpx.AsyncClient(base_url=numbers_url) as numbers_http,
            ):
                await sequential(settings, events, sequential_users)
                await all_at_once(settings, events, control, 100)
                await voice_latency(numbers_http, events, voice_calls)
        finally:
            await carrier.close()
            await drop_database(settings.mongo_url, settings.database)


def provisioned_for(events, account_id: str, user_ids: set[str]) -> list[dict]:
    return [e for e in events.of("number.provisioned", account_id) if e["data"]["user_id"] in user_ids]


async def sequential(settings, events, count: int) -> None:
    account_id = f"bench-seq-{uuid.uuid4().hex[:8]}"
    latencies = []
    for n in range(count):
        user = user_created(account_id, area_code="512")
        user_id = user.data.user.user_id
        await produce(settings.kafka_bootstrap_servers, user, namespace=settings.kafka_topic_namespace)
        await asyncio.sleep(0.05)  # the user is known before the need arrives, as in the product
        started = time.perf_counter()
        await produce(settings.kafka_bootstrap_servers, number_needed(account_id, user_id), namespace=settings.kafka_topic_namespace)
        await wait_for(lambda: provisioned_for(events, account_id, {user_id}))
        latencies.append((time.perf_counter() - started) * 1000)
        print(f"  sequential {n + 1}/{count}: {latencies[-1]:.0f} ms", flush=True)
    print(f"one user at a time ({count} users): number.needed -> number.provisioned "
          f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms")


async def all_at_once(settings, events, control, count: int) -> None:
    account_id = f"bench-burst-{uuid.uuid4().hex[:8]}"
    users = [user_created(account_id, area_code="512") for _ in range(count)]
    user_ids = {u.data.user.user_id for u in users}
    await produce(settings.kafka_bootstrap_servers, *users, namespace=settings.kafka_topic_namespace)
    await asyncio.sleep(1.0)
    started = time.perf_counter()
    # Every user's need arrives twice, as duplicates would.
    await produce(settings.kafka_bootstrap_servers, *[number_needed(account_id, u) for u in list(user_ids) * 2],
                  namespace=settings.kafka_topic_namespace)
    await wait_for(lambda: len({e["data"]["user_id"] for e in provisioned_for(events, account_id, user_ids)}) == count, timeout=300)
    elapsed = time.perf_counter() - started
    owned = (await control.get("/sandbox/incoming-phone-numbers")).json()["incoming_phone_numbers"]
    ours = [n for n in owned if any(u in (n["friendly_name"] or "") for u in user_ids)]
    per_user = {u: sum(u in (n["friendly_name"] or "") for n in ours) for u in user_ids}
    duplicates = sum(max(c - 1, 0) for c in per_user.values())
    print(f"{count} users at once (each need sent twice): all provisioned in {elapsed:.1f} s; "
          f"numbers at the carrier {len(ours)}, duplicates {duplicates}, users without a number {sum(c == 0 for c in per_user.values())}")


async def settled(events, quiet_seconds: float = 5.0) -> None:
    """Wait until the burst before is fully handled (no new number.provisioned for a while)."""
    seen = -1
    while seen != len(events.events):
        seen = len(events.events)
        await asyncio.sleep(quiet_seconds)


async def voice_latency(numbers_http, events, calls: int, warm_up: int = 20) -> None:
    await settled(events)
    some = next(e for e in events.events if e.get("type") == "number.provisioned")
    body = {"To": some["data"]["phone_number"], "From": "+12125550123", "CallSid": "CA" + "0" * 32, "Direction": "inbound"}
    latencies = []
    for n in range(warm_up + calls):
        started = time.perf_counter()
        # Signed per request, as the gateway does (its tokens live a minute).
        headers = {CALLER_HEADER: sign_caller_token(Caller(account_id=None, user_id="gateway", role="system"), SECRET, audience="numbers")}
        response = await numbers_http.post("/v1/webhooks/voice", json=body, headers=headers)
        if n >= warm_up:
            latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and "<Dial" in response.json()["twiml"], response.text
    print(f"voice webhook ({calls} calls, straight to the numbers service over HTTP, not through the gateway): "
          f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sequential-users", type=int, default=30)
    parser.add_argument("--voice-calls", type=int, default=300)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.sequential_users, arguments.voice_calls))
