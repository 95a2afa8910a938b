"""Every process of the stack exposes Prometheus metrics, and one text moves the numbers it should."""

import httpx

from tests.e2e.conftest import PORT_BASE
from tests.e2e.test_first_text import create_contact, sign_up
from tests.support.metrics import scrape, total
from tests.support.waiting import eventually

SEND_WORKERS = 2  # what deploy/local/stack.py starts by default, on base + 11 and base + 12
SEND_GROUP = "messaging-send-workers.message.send_requested"


def processes(stack: dict[str, str]) -> dict[str, str]:
    workers = {f"messaging-worker-{n}": f"http://127.0.0.1:{PORT_BASE + 10 + n}" for n in range(1, SEND_WORKERS + 1)}
    return {
        "gateway": stack["GATEWAY_PUBLIC_URL"], "contacts": stack["GATEWAY_CONTACTS_URL"],
        "messaging": stack["GATEWAY_MESSAGING_URL"], "numbers": stack["GATEWAY_NUMBERS_URL"],
        "notifications": stack["GATEWAY_NOTIFICATIONS_URL"], "carrier": stack["TWILIO_API_BASE_URL"], **workers,
    }


async def _sum_over(urls: list[str], name: str, **labels: str) -> float:
    return sum([total(await scrape(url), name, **labels) for url in urls])


async def test_every_process_serves_metrics_health_and_readiness(stack):
    async with httpx.AsyncClient(timeout=10) as client:
        for name, url in processes(stack).items():
            samples = await scrape(url)  # parsed by prometheus_client's own text parser
            assert "process_cpu_seconds_total" in samples or "http_request_duration_seconds_count" in samples, name
            assert (await client.get(url + "/healthz")).status_code == 200, name
            ready = await client.get(url + "/readyz")
            assert ready.status_code == 200 and ready.json()["status"] == "ready", (name, ready.text)


async def test_the_services_metrics_are_not_reachable_through_the_gateways_api(gateway, stack):
    await sign_up(gateway)
    # (A literal "/../" never leaves the client: httpx, like a browser, removes dot segments first.)
    for path in ("/api/contacts/%2E%2E/%2E%2E/metrics", "/api/metrics", "/api/readyz",
                 "/api/messages/..%2F..%2Fmetrics"):
        answer = await gateway.get(path)
        assert "# HELP" not in answer.text and "# TYPE" not in answer.text, path
    # The gateway's own /metrics is its own: the requests it answered, none of the services'.
    own = await scrape(stack["GATEWAY_PUBLIC_URL"])
    assert {labels["service"] for labels, _ in own["http_request_duration_seconds_count"]} == {"gateway"}


async def test_one_text_moves_the_counters_and_histograms_it_passes_through(gateway, carrier, stack):
    urls = processes(stack)
    workers = [url for name, url in urls.items() if name.startswith("messaging-worker-")]
    senders = [urls["messaging"], *workers]
    before = {
        "gateway_send": total(await scrape(urls["gateway"]), "http_request_duration_seconds_count",
                              service="gateway", method="POST", route="/api/messages", status="202"),
        "messaging_send": total(await scrape(urls["messaging"]), "http_request_duration_seconds_count",
                                service="messaging", method="POST", route="/v1/messages", status="202"),
        "consumed": await _sum_over(workers, "kafka_consume_duration_seconds_count",
                                    topic="message.send_requested", group=SEND_GROUP),
        "published": await _sum_over(senders, "outbox_events_published_total", event_type="message.send_requested"),
        "sent": await _sum_over(workers, "texts_sent_total"),
        "carrier_calls": await _sum_over(workers, "carrier_call_duration_seconds_count",
                                         operation="messages.create", outcome="ok"),
        "delivered": await _sum_over(senders, "texts_delivered_total"),
    }

    await sign_up(gateway)
    contact = await create_contact(gateway, "(512) 555-0163")
    sent = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": "Polls close at 8pm tonight."})
    assert sent.status_code == 202, sent.text
    [message] = sent.json()["messages"]

    async def delivered():
        current = (await gateway.get(f"/api/messages/{message['message_id']}")).json()
        return current["status"] == "delivered"

    await eventually(delivered, timeout=60, what="the text to be delivered")

    async def moved() -> dict | None:
        after = {
            "gateway_send": total(await scrape(urls["gateway"]), "http_request_duration_seconds_count",
                                  service="gateway", method="POST", route="/api/messages", status="202"),
            "messaging_send": total(await scrape(urls["messaging"]), "http_request_duration_seconds_count",
                                    service="messaging", method="POST", route="/v1/messages", status="202"),
            "consumed": await _sum_over(workers, "kafka_consume_duration_seconds_count",
                                        topic="message.send_requested", group=SEND_GROUP),
            "published": await _sum_over(senders, "outbox_events_published_total", event_type="message.send_requested"),
            "sent": await _sum_over(workers, "texts_sent_total"),
            "carrier_calls": await _sum_over(workers, "carrier_call_duration_seconds_count",
                                             operation="messages.create", outcome="ok"),
            "delivered": await _sum_over(senders, "texts_delivered_total"),
        }
        grown = {name: after[name] - before[name] for name in before}
        return grown if all(change >= 1 for change in grown.values()) else None

    grown = await eventually(moved, timeout=30, interval=0.5, what="every metric of the text to move")
    # The one text: one send request consumed, one create at the carrier, one text sent and delivered.
    assert grown["sent"] == 1 and grown["carrier_calls"] == 1 and grown["delivered"] == 1, grown

    messaging = await scrape(urls["messaging"])
    assert [labels for labels, _ in messaging["outbox_oldest_pending_event_age_seconds"]] == [{"service": "messaging"}]
    lag = [labels for labels, _ in (await scrape(workers[0]))["kafka_consumer_lag_messages"]]
    assert any(labels["group"] == SEND_GROUP and labels["topic"] == "message.send_requested" for labels in lag), lag
