"""Fast tests of the numbers rules, with in-memory ports."""

from datetime import UTC, datetime, timedelta

import pytest

from services.numbers.adapters import twiml
from services.numbers.domain.geography import NumberSearch, search_plan, state_of_area_code
from services.numbers.domain.lines import Candidate, LineState, RetryPolicy, line_id
from services.numbers.domain.overlays import OVERLAY_GROUPS
from services.numbers.service_layer.ports import UserRecord
from services.numbers.service_layer.provisioning import (
    ProvisioningPolicy,
    friendly_name_for,
    provision_line,
    request_number,
)
from tests.numbers.fakes import FakeCarrier, fake_ports

POLICY = ProvisioningPolicy()


def a_user(account_id="acct", user_id="u1", area_code="512", active=True) -> UserRecord:
    return UserRecord(account_id, user_id, f"{user_id}@example.org", "Dana", "texter", f"+1{area_code}2345678", area_code, active, False)


@pytest.mark.parametrize(("area_code", "state"), [("512", "TX"), ("737", "TX"), ("212", "NY"), ("202", "DC"), ("907", "AK"), ("999", None), ("51", None)])
def test_state_of_an_area_code(area_code, state):
    assert state_of_area_code(area_code) == state


def test_search_plan_goes_from_the_area_code_to_its_overlays_to_the_state_to_the_country():
    assert search_plan("512") == [
        NumberSearch("area_code", area_code="512"),
        NumberSearch("overlay", area_code="737"),
        NumberSearch("same_state", in_region="TX"),
        NumberSearch("country"),
    ]
    assert [s.area_code for s in search_plan("972") if s.selection_rule == "overlay"] == ["214", "469", "945"]
    assert [s.area_code for s in search_plan("212") if s.selection_rule == "overlay"] == ["646", "332", "917"]
    assert search_plan("907")[1] == NumberSearch("same_state", in_region="AK")  # no overlay
    assert search_plan(None) == [NumberSearch("country")]


def test_every_overlay_is_in_the_same_state_as_the_code_it_overlays():
    for group in OVERLAY_GROUPS:
        states = {state_of_area_code(code) for code in group} - {None}
        assert len(states) == 1, group


async def test_an_exhausted_area_code_buys_in_its_overlay_before_the_rest_of_the_state():
    carrier = FakeCarrier({"737": ["+17372000001"], "TX": ["+12142000001"]})
    ports = fake_ports(carrier)
    await ports.users.save(a_user(), as_of=datetime.now(UTC))

    line = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")

    assert line.phone_number == "+17372000001" and line.selection_rule == "overlay"


async def test_the_first_failure_and_giving_up_tell_the_user_not_every_retry():
    ports = fake_ports(FakeCarrier({}))
    await ports.users.save(a_user(), as_of=datetime.now(UTC))
    policy = ProvisioningPolicy(retry=RetryPolicy(max_attempts=3, base_delay=timedelta(0)))

    await request_number(ports=ports, policy=policy, account_id="acct", user_id="u1", reason="first_send")
    for _ in range(2):
        await provision_line(ports=ports, policy=policy, line_id=line_id("acct", "u1"))

    failures = [e.data for e in ports.lines.events if e.type == "number.purchase_failed"]
    assert [(f.attempts, f.will_retry) for f in failures] == [(1, True), (3, False)]
    assert "area code 512" in failures[0].reason


def test_retry_backoff_doubles_up_to_a_cap_and_stops_after_the_last_attempt():
    policy = RetryPolicy(max_attempts=4, base_delay=timedelta(seconds=10), max_delay=timedelta(seconds=25))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    delays = [policy.next_attempt_at(attempts=n, now=now) for n in (1, 2, 3, 4)]
    assert delays == [now + timedelta(seconds=10), now + timedelta(seconds=20), now + timedelta(seconds=25), None]


def test_twiml_escapes_what_it_is_given():
    assert twiml.dial(forward_to="+15125550100", caller_id='"><Hangup/>') == (
        '<Response><Dial callerId="&quot;&gt;&lt;Hangup/&gt;">+15125550100</Dial></Response>'
    )


def test_friendly_name_keeps_the_user_id_within_twilios_64_characters():
    user = a_user(user_id="user-0123456789ab")
    long_named = UserRecord(**{**user.__dict__, "name": "N" * 100})
    assert friendly_name_for(user) == "Dana (user-0123456789ab)"
    assert len(friendly_name_for(long_named)) == 64 and friendly_name_for(long_named).endswith("(user-0123456789ab)")


async def test_a_request_buys_in_the_area_code_and_records_one_event():
    carrier = FakeCarrier({"512": ["+15122000001"]})
    ports = fake_ports(carrier)
    await ports.users.save(a_user(), as_of=datetime.now(UTC))

    line = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")
    again = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")

    assert line.state == LineState.ACTIVE and line.phone_number == "+15122000001" and line.selection_rule == "area_code"
    assert again.phone_number == line.phone_number
    assert carrier.purchases == ["+15122000001"]
    [event] = ports.lines.events
    assert event.subject == "u1" and event.data.phone_number == "+15122000001"


async def test_a_number_sold_to_someone_else_meanwhile_is_skipped():
    carrier = FakeCarrier({"512": ["+15122000001", "+15122000002"]})
    carrier.sold_elsewhere.add("+15122000001")
    ports = fake_ports(carrier)
    await ports.users.save(a_user(), as_of=datetime.now(UTC))

    line = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")

    assert line.phone_number == "+15122000002"
    assert carrier.purchases == ["+15122000002"]


async def test_a_number_another_user_bought_meanwhile_is_not_taken_for_this_one():
    carrier = FakeCarrier({"512": ["+15122000001", "+15122000002"]})
    ports = fake_ports(carrier)
    await ports.users.save(a_user(), as_of=datetime.now(UTC))
    # Offered to both users' searches at once; the other user's purchase went through first.
    await carrier.buy("+15122000001", friendly_name="Eve (u2)")
    carrier.search = lambda search, *, limit: _offer(["+15122000001", "+15122000002"])

    line = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")

    assert line.phone_number == "+15122000002"


async def _offer(numbers):
    return numbers


async def test_an_interrupted_purchase_is_found_at_the_carrier_not_bought_again():
    carrier = FakeCarrier({"512": ["+15122000001", "+15122000002"]})
    ports = fake_ports(carrier)
    await ports.users.save(a_user(), as_of=datetime.now(UTC))
    key = line_id("acct", "u1")
    await ports.lines.claim(account_id="acct", user_id="u1", reason="first_send", now=datetime.now(UTC))
    # A worker chose the number, the carrier sold it, and the worker died before recording it.
    await carrier.buy("+15122000001", friendly_name="Dana (u1)")
    ports.lines.lines[key].candidate = Candidate("+15122000001", "area_code")

    line = await provision_line(ports=ports, policy=POLICY, line_id=key)

    assert line.state == LineState.ACTIVE and line.phone_number == "+15122000001"
    assert carrier.purchases == ["+15122000001"]


async def test_nothing_for_sale_fails_the_line_with_a_retry_time():
    ports = fake_ports(FakeCarrier({}))
    await ports.users.save(a_user(), as_of=datetime.now(UTC))

    line = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")

    assert line.state == LineState.FAILED and line.attempts == 1 and line.next_attempt_at is not None
    assert "area code 512" in line.last_error and "TX" in line.last_error


async def test_an_unknown_or_deactivated_user_waits():
    ports = fake_ports(FakeCarrier({"512": ["+15122000001"]}))
    unknown = await request_number(ports=ports, policy=POLICY, account_id="acct", user_id="u1", reason="first_send")
    assert unknown.state == LineState.AWAITING_USER and unknown.last_error == "user is not known yet"

    await ports.users.save(a_user(active=False), as_of=datetime.now(UTC))
    inactive = await provision_line(ports=ports, policy=POLICY, line_id=unknown.id)
    assert inactive.state == LineState.AWAITING_USER and inactive.last_error == "user is deactivated"
