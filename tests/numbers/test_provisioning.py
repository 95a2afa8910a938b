"""number.needed (and eager user.created) -> exactly one number per user, bought at the
sandbox carrier with the gateway's webhooks, recorded, and announced as number.provisioned."""

import asyncio

from services.numbers.domain.geography import state_of_area_code
from services.numbers.domain.lines import line_id
from services.numbers.service_layer.provisioning import request_number
from tests.numbers.builders import number_needed, user_created
from tests.numbers.conftest import GATEWAY_URL
from tests.support.waiting import eventually


async def provisioned(numbers, account_id: str, user_id: str, *, timeout: float = 20.0) -> dict:
    async def probe():
        found = [e for e in numbers.events.of("number.provisioned", account_id) if e["data"]["user_id"] == user_id]
        return found[0] if found else None

    return await eventually(probe, timeout=timeout, what=f"number.provisioned for {user_id}")


async def test_number_needed_buys_a_number_in_the_users_area_code(numbers, account_id):
    user = user_created(account_id, area_code="512", name="Ana Ortiz")
    user_id = user.data.user.user_id
    await numbers.produce(user, number_needed(account_id, user_id))

    event = await provisioned(numbers, account_id, user_id)

    data = event["data"]
    assert event["subject"] == user_id
    assert data["phone_number"].startswith("+1512")
    assert data["area_code"] == "512"
    assert data["selection_rule"] == "area_code"
    [bought] = await numbers.numbers_at_carrier(user_id)
    assert bought["phone_number"] == data["phone_number"]
    assert bought["sid"] == data["carrier_sid"]
    assert bought["sms_url"] == f"{GATEWAY_URL}/webhooks/twilio/messages/inbound"
    assert bought["sms_method"] == "POST"
    assert bought["voice_url"] == f"{GATEWAY_URL}/webhooks/twilio/voice"
    assert bought["voice_method"] == "POST"
    assert bought["status_callback"] == f"{GATEWAY_URL}/webhooks/twilio/voice/status"
    assert "Ana Ortiz" in bought["friendly_name"]

    mine = await numbers.http.get("/v1/numbers/mine", headers=numbers.headers(account_id, user_id))
    assert mine.status_code == 200, mine.text
    assert mine.json()["state"] == "active"
    assert mine.json()["phone_number"] == data["phone_number"]
    assert mine.json()["since"] is not None


async def test_a_user_who_asked_for_it_early_gets_a_number_on_creation(numbers, account_id):
    user = user_created(account_id, area_code="212", eager=True)
    event = await _produce_and_wait(numbers, account_id, user)
    assert event["data"]["phone_number"].startswith("+1212")


async def test_twenty_duplicate_requests_buy_one_number(numbers, account_id):
    user = user_created(account_id, area_code="512")
    user_id = user.data.user.user_id
    await numbers.produce(user, *[number_needed(account_id, user_id) for _ in range(20)])
    # Same key, same partition: once this later request (for another user) is handled, all 20 were.
    sentinel = user_created(account_id, area_code="512")
    sentinel_id = sentinel.data.user.user_id
    await numbers.produce(sentinel, number_needed(account_id, sentinel_id, subject=user_id))

    await provisioned(numbers, account_id, sentinel_id)

    assert len(await numbers.numbers_at_carrier(user_id)) == 1
    ours = {e["id"] for e in numbers.events.of("number.provisioned", account_id) if e["data"]["user_id"] == user_id}
    assert len(ours) == 1  # one event (relaying is at-least-once: copies share the id)


async def test_concurrent_requests_for_one_user_buy_one_number(numbers, account_id):
    """Twenty handlers at once (as several service processes would run them)."""
    user = user_created(account_id, area_code="512")
    user_id = user.data.user.user_id
    await numbers.produce(user)
    await eventually(lambda: numbers.service.ports.users.get(account_id, user_id), what="user in the read model")

    service = numbers.service
    await asyncio.gather(*[
        request_number(ports=service.ports, policy=service.policy, account_id=account_id, user_id=user_id, reason="first_send")
        for _ in range(20)
    ])

    line = await eventually(lambda: _active_line(numbers, account_id, user_id), what="active line")
    assert [n["phone_number"] for n in await numbers.numbers_at_carrier(user_id)] == [line.phone_number]


async def test_ten_users_at_once_get_ten_numbers(numbers, account_id):
    users = [user_created(account_id, area_code="512") for _ in range(10)]
    user_ids = [user.data.user.user_id for user in users]
    await numbers.produce(*users, *[number_needed(account_id, user_id) for user_id in user_ids])

    async def all_provisioned():
        events = numbers.events.of("number.provisioned", account_id)
        return events if {e["data"]["user_id"] for e in events} == set(user_ids) else None

    events = await eventually(all_provisioned, timeout=30, what="ten numbers")
    phone_numbers = {e["data"]["phone_number"] for e in events}
    assert len({e["id"] for e in events}) == 10 and len(phone_numbers) == 10
    at_carrier = [n for user_id in user_ids for n in await numbers.numbers_at_carrier(user_id)]
    assert sorted(n["phone_number"] for n in at_carrier) == sorted(phone_numbers)


async def test_exhausted_area_code_falls_back_to_its_overlay(numbers, account_id):
    await _exhaust(numbers, "512", True)
    try:
        event = await _produce_and_wait(numbers, account_id, user_created(account_id, area_code="512"))
    finally:
        await _exhaust(numbers, "512", False)
    assert event["data"]["selection_rule"] == "overlay"
    assert event["data"]["area_code"] == "737"


async def test_exhausted_area_code_and_overlays_fall_back_to_another_in_the_same_state(numbers, account_id):
    await _exhaust(numbers, "512", True)
    await _exhaust(numbers, "737", True)
    try:
        event = await _produce_and_wait(numbers, account_id, user_created(account_id, area_code="512"))
    finally:
        await _exhaust(numbers, "512", False)
        await _exhaust(numbers, "737", False)
    data = event["data"]
    assert data["selection_rule"] == "same_state"
    assert data["area_code"] not in ("512", "737")
    assert state_of_area_code(data["area_code"]) == "TX"


async def test_exhausted_state_falls_back_to_the_country(numbers, account_id):
    # Alaska has a single area code, so exhausting it leaves nothing in the state.
    await _exhaust(numbers, "907", True)
    try:
        event = await _produce_and_wait(numbers, account_id, user_created(account_id, area_code="907"))
    finally:
        await _exhaust(numbers, "907", False)
    assert event["data"]["selection_rule"] == "country"
    assert event["data"]["area_code"] != "907"

    listing = await numbers.http.get("/v1/numbers", headers=numbers.headers(account_id, "boss", role="owner"))
    [line] = listing.json()["items"]
    assert line["selection_rule"] == "country"


async def test_a_request_before_the_user_is_known_waits_for_the_user(numbers, account_id):
    user = user_created(account_id, area_code="512")
    user_id = user.data.user.user_id
    await numbers.produce(number_needed(account_id, user_id))

    waiting = await eventually(lambda: _line_in_state(numbers, account_id, user_id, "awaiting_user"), what="waiting line")
    assert waiting.last_error == "user is not known yet"

    await numbers.produce(user)
    event = await provisioned(numbers, account_id, user_id)
    assert event["data"]["phone_number"].startswith("+1512")


async def test_a_failed_purchase_is_visible_and_retried(numbers, account_id):
    user = user_created(account_id, area_code="512")
    user_id = user.data.user.user_id
    numbers.carrier.refusing.add(user_id)
    await numbers.produce(user, number_needed(account_id, user_id))

    async def failed_in_api():
        response = await numbers.http.get("/v1/numbers/mine", headers=numbers.headers(account_id, user_id))
        return response.json() if response.status_code == 200 and response.json()["state"] == "failed" else None

    failed = await eventually(failed_in_api, what="failed line")
    assert "Service Unavailable" in failed["last_error"]
    assert failed["attempts"] >= 1 and failed["next_attempt_at"] is not None

    numbers.carrier.refusing.discard(user_id)
    await provisioned(numbers, account_id, user_id)
    assert len(await numbers.numbers_at_carrier(user_id)) == 1


async def test_a_crash_between_buying_and_recording_is_reconciled_not_bought_twice(numbers, account_id):
    user = user_created(account_id, area_code="512")
    user_id = user.data.user.user_id
    numbers.carrier.crashing_once.add(user_id)
    await numbers.produce(user, number_needed(account_id, user_id))

    event = await provisioned(numbers, account_id, user_id)

    assert user_id not in numbers.carrier.crashing_once  # the crash did happen
    [bought] = await numbers.numbers_at_carrier(user_id)
    assert bought["phone_number"] == event["data"]["phone_number"]


async def _produce_and_wait(numbers, account_id, user) -> dict:
    user_id = user.data.user.user_id
    envelopes = [user] if user.data.user.eager_number_purchase else [user, number_needed(account_id, user_id)]
    await numbers.produce(*envelopes)
    return await provisioned(numbers, account_id, user_id)


async def _exhaust(numbers, area_code: str, exhausted: bool) -> None:
    response = await numbers.carrier_control.post(f"/sandbox/area-codes/{area_code}/exhausted", json={"exhausted": exhausted})
    response.raise_for_status()


async def _active_line(numbers, account_id, user_id):
    return await _line_in_state(numbers, account_id, user_id, "active")


async def _line_in_state(numbers, account_id, user_id, state):
    line = await numbers.service.ports.lines.get(line_id(account_id, user_id))
    return line if line and line.state == state else None

