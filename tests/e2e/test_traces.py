"""One text is one trace across every process and Kafka hop (gateway → messaging api → outbox relay
→ Kafka → send worker → carrier), collected by an OTLP receiver the real service processes export
to; its status callbacks and the reply start traces of their own, linked to it; log lines carry
the trace and span ids."""

import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import PORT_BASE, STACK, _read_env_file
from tests.e2e.test_first_text import CONTACT_E164, create_contact, sign_up
from tests.support.otlp import OtlpReceiver, ReceivedSpan
from tests.support.waiting import eventually

# A stack of its own, exporting to the receiver, on ports of its own beside the e2e stack's.
TRACED_PORT_BASE = PORT_BASE + 500
RECEIVER_PORT = PORT_BASE + 599


@pytest.fixture(scope="module")
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver(RECEIVER_PORT) as receiver:
        yield receiver


@pytest.fixture(scope="module")
def traced_stack(infra, run_id, receiver, tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("traced-stack")
    command = [sys.executable, str(STACK)]
    environment = {**os.environ, **infra, "MESSAGING_QUIET_HOURS_ENFORCED": "false",
                   "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.endpoint,
                   "CRM_STACK_START_SECONDS": os.environ.get("CRM_STACK_START_SECONDS", "180")}
    try:
        subprocess.run([*command, "up", "--state-dir", str(state_dir), "--port-base", str(TRACED_PORT_BASE), "--workers", "1",
                        "--database-suffix", f"_traced_{run_id}", "--topic-namespace", f"traced-{run_id}."],
                       check=True, env=environment)
        yield state_dir, _read_env_file(state_dir / "stack.env")
    finally:
        subprocess.run([*command, "down", "--state-dir", str(state_dir)], check=True)


def _ancestors(span: ReceivedSpan, spans: list[ReceivedSpan]) -> list[ReceivedSpan]:
    """`span`, its parent, its parent's parent, ... up to the root."""
    by_id = {candidate.span_id: candidate for candidate in spans}
    chain = [span]
    while chain[-1].parent_id:
        chain.append(by_id[chain[-1].parent_id])
    return chain


def _complete(trace: list[ReceivedSpan]) -> bool:
    """Whether every process has exported its part of the trace: each parent is there, and a root."""
    ids = {span.span_id for span in trace}
    return any(not span.parent_id for span in trace) and all(not span.parent_id or span.parent_id in ids for span in trace)


def _root(trace: list[ReceivedSpan]) -> ReceivedSpan:
    [root] = [span for span in trace if not span.parent_id]
    return root


def _carrier_calls(trace: list[ReceivedSpan]) -> list[ReceivedSpan]:
    return [span for span in trace if span.service == "messaging-worker" and span.kind == "client"
            and "/Messages.json" in str(span.attributes.get("http.url") or span.attributes.get("url.full") or "")]


def _first_index(chain: list[ReceivedSpan], test) -> int:
    return next(index for index, span in enumerate(chain) if test(span))


async def test_one_text_is_one_trace_from_the_gateway_to_the_carrier(receiver, traced_stack):
    state_dir, stack = traced_stack
    async with httpx.AsyncClient(base_url=stack["GATEWAY_PUBLIC_URL"], timeout=30) as gateway, \
            httpx.AsyncClient(base_url=stack["TWILIO_API_BASE_URL"], timeout=30,
                              auth=(stack["CARRIER_ACCOUNT_SID"], stack["CARRIER_AUTH_TOKEN"])) as carrier:
        await sign_up(gateway)
        contact = await create_contact(gateway)

        async def send_and_deliver(body: str) -> dict:
            sent = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": body})
            assert sent.status_code == 202, sent.text
            [message] = sent.json()["messages"]

            async def delivered():
                current = (await gateway.get(f"/api/messages/{message['message_id']}")).json()
                return current if current["status"] == "delivered" else None

            return await eventually(delivered, timeout=90, what="the text to be delivered")

        # The first text waits for the user's number to be bought; the second goes straight out.
        await send_and_deliver("Hi Jordan, this is Riley from the campaign.")
        text = await send_and_deliver("Polls close at 8pm tonight.")
        reply = await carrier.post("/sandbox/inbound-messages", json={"from": CONTACT_E164, "to": text["from_number"], "body": "Thanks, voted!"})
        assert reply.status_code == 200, reply.text

    async def text_trace() -> list[ReceivedSpan] | None:
        sends = [span for span in receiver.received() if span.service == "gateway" and span.kind == "server"
                 and span.name == "POST /api/messages"]
        with_call = [receiver.trace(span.trace_id) for span in sends if _carrier_calls(receiver.trace(span.trace_id))]
        if len(with_call) != 1 or len(sends) != 2:
            return None
        return with_call[0] if _complete(with_call[0]) else None

    trace = await eventually(text_trace, timeout=60, interval=0.5, what="the text's trace, carrier call included")
    trace_id = trace[0].trace_id
    root = _root(trace)
    assert (root.service, root.kind, root.name) == ("gateway", "server", "POST /api/messages")
    [call] = _carrier_calls(trace)
    chain = _ancestors(call, trace)  # every parent is in the same trace, up to the gateway's request
    print("the text's trace, carrier call first:", *(f"{span.service}: {span.name} ({span.kind})" for span in chain), sep="\n  ")
    hops = [
        _first_index(chain, lambda s: s.service == "messaging-worker" and s.kind == "consumer" and "message.send_requested" in s.name),
        _first_index(chain, lambda s: s.service == "messaging" and s.kind == "producer" and "message.send_requested" in s.name),
        _first_index(chain, lambda s: s.service == "messaging" and s.name == "outbox relay"),
        _first_index(chain, lambda s: s.service == "messaging" and s.kind == "server" and s.name == "POST /v1/messages"),
        _first_index(chain, lambda s: s.service == "gateway" and s.kind == "client"),
        len(chain) - 1,  # the gateway's request
    ]
    assert hops == sorted(hops) and len(set(hops)) == len(hops), [(s.service, s.name, s.kind) for s in chain]

    async def linked_traces() -> dict[str, list[ReceivedSpan]] | None:
        linking = {span.trace_id for span in receiver.received()
                   if span.trace_id != trace_id and any(linked == trace_id for linked, _ in span.links)}
        kinds = {}
        for other in linking:
            spans = receiver.trace(other)
            if not _complete(spans):
                continue
            if any("carrier.status_reported" in span.name and span.kind == "consumer" for span in spans):
                kinds["status callback"] = spans
            if any(span.name == "POST /v1/webhooks/inbound" for span in spans):
                kinds["reply"] = spans
        return kinds if len(kinds) == 2 else None

    try:
        linked = await eventually(linked_traces, timeout=60, interval=0.5,
                                  what="a status callback's and the reply's traces linked to the text's")
    except AssertionError as missing:
        webhooks = {span.trace_id for span in receiver.received() if span.service == "gateway" and span.kind == "server"
                    and "/api/" not in span.name}
        seen = [(span.service, span.name, span.kind, [t[:8] for t, _ in span.links]) for span in receiver.received()
                if span.trace_id in webhooks and (span.kind != "client" or span.links)]
        raise AssertionError(f"{missing}; text trace {trace_id[:8]}; spans of webhook traces: {seen}") from None
    text_spans = {span.span_id for span in trace}
    for kind, other in linked.items():
        root = _root(other)  # a trace of its own, started by the carrier's webhook at the gateway
        assert (root.service, root.kind) == ("gateway", "server"), (kind, root)
        linking = [span for span in other if any(linked_id == trace_id for linked_id, _ in span.links)]
        assert all(span.service == "messaging" for span in linking), (kind, linking)
        assert all(span_id in text_spans for span in linking for t, span_id in span.links if t == trace_id), kind
        print(f"the {kind}'s trace: {root.name}; linked to the text's from messaging: {[span.name for span in linking]}")
    assert _root(linked["status callback"]).name == "POST /webhooks/twilio/messages/status"
    assert _root(linked["reply"]).name == "POST /webhooks/twilio/messages/inbound"

    # Log lines written within a span name it (the number's purchase, here).
    logged = "".join(path.read_text(errors="replace") for path in (state_dir / "logs").glob("*.log"))
    exported = {(span.trace_id, span.span_id) for span in receiver.received()}
    assert any(f"trace={t} span={s}]" in logged for t, s in exported), "no log line names a span that was exported"
