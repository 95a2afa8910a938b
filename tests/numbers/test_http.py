"""The HTTP API: who sees which numbers, and the voice webhook's TwiML."""

from tests.numbers.builders import number_needed, user_created
from tests.support.waiting import eventually


async def provision(numbers, account_id, **user_fields):
    user = user_created(account_id, **user_fields)
    user_id = user.data.user.user_id
    await numbers.produce(user, number_needed(account_id, user_id))

    async def probe():
        events = [e for e in numbers.events.of("number.provisioned", account_id) if e["data"]["user_id"] == user_id]
        return events[0]["data"] if events else None

    data = await eventually(probe, timeout=20, what=f"number for {user_id}")
    return user.data.user, data["phone_number"]


async def test_owners_see_every_line_texters_only_their_own(numbers, account_id):
    alice, alice_number = await provision(numbers, account_id, name="Alice Owner", role="owner")
    bob, bob_number = await provision(numbers, account_id, name="Bob Texter")

    as_owner = await numbers.http.get("/v1/numbers", headers=numbers.headers(account_id, alice.user_id, role="owner"))
    assert as_owner.status_code == 200, as_owner.text
    lines = {line["user_id"]: line for line in as_owner.json()["items"]}
    assert set(lines) == {alice.user_id, bob.user_id}
    assert lines[bob.user_id]["phone_number"] == bob_number
    assert lines[bob.user_id]["user_name"] == "Bob Texter"
    assert lines[bob.user_id]["state"] == "active" and lines[bob.user_id]["since"]

    as_admin = await numbers.http.get("/v1/numbers", headers=numbers.headers(account_id, "someone", role="admin"))
    assert {line["user_id"] for line in as_admin.json()["items"]} == {alice.user_id, bob.user_id}

    as_texter = await numbers.http.get("/v1/numbers", headers=numbers.headers(account_id, bob.user_id))
    assert [line["phone_number"] for line in as_texter.json()["items"]] == [bob_number]


async def test_another_account_sees_nothing(numbers, account_id):
    user, _ = await provision(numbers, account_id)
    other_account = f"other-{account_id}"

    listing = await numbers.http.get("/v1/numbers", headers=numbers.headers(other_account, "x", role="owner"))
    assert listing.json() == {"items": []}
    # Even with the right user id, another account's token finds no line.
    mine = await numbers.http.get("/v1/numbers/mine", headers=numbers.headers(other_account, user.user_id))
    assert mine.status_code == 404


async def test_calls_without_a_valid_caller_are_refused(numbers, account_id):
    assert (await numbers.http.get("/v1/numbers")).status_code == 401
    forged = {"X-Caller-Token": "not-a-token"}
    assert (await numbers.http.get("/v1/numbers", headers=forged)).status_code == 401
    mine = await numbers.http.get("/v1/numbers/mine", headers=numbers.headers(account_id, "nobody-yet"))
    assert mine.status_code == 404


async def test_a_call_to_a_users_number_rings_their_primary_cell(numbers, account_id):
    user, phone_number = await provision(numbers, account_id)
    caller = "+12125550123"

    response = await numbers.http.post(
        "/v1/webhooks/voice",
        json={"To": phone_number, "From": caller, "CallSid": "CA" + "0" * 32, "Direction": "inbound"},
        headers=numbers.system_headers(),
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"twiml": f'<Response><Dial callerId="{caller}">{user.primary_cell}</Dial></Response>'}


async def test_a_call_to_an_unknown_number_is_answered_politely(numbers):
    response = await numbers.http.post(
        "/v1/webhooks/voice", json={"To": "+15005550006", "From": "+12125550123"},
        headers=numbers.system_headers(),
    )
    twiml = response.json()["twiml"]
    assert twiml.startswith("<Response><Say>") and twiml.endswith("<Hangup /></Response>")


async def test_only_the_gateway_may_call_the_voice_webhook(numbers, account_id):
    body = {"To": "+15125550100", "From": "+12125550123"}
    as_user = await numbers.http.post("/v1/webhooks/voice", json=body, headers=numbers.headers(account_id, "u", role="owner"))
    assert as_user.status_code == 403
    missing_to = await numbers.http.post(
        "/v1/webhooks/voice", json={"From": "+12125550123"}, headers=numbers.system_headers()
    )
    assert missing_to.status_code == 422
    assert missing_to.json()["errors"][0]["field"] == "body.To"


async def test_a_user_can_get_their_number_before_their_first_text_once(numbers, account_id):
    user = user_created(account_id, area_code="512", name="Ana Ortiz")
    user_id = user.data.user.user_id
    await numbers.produce(user)
    headers = numbers.headers(account_id, user_id)
    assert (await numbers.http.get("/v1/numbers/mine", headers=headers)).status_code == 404

    async def asked():
        answer = await numbers.http.post("/v1/numbers/mine", headers=headers)
        return answer if answer.status_code == 202 and answer.json()["state"] == "active" else None

    first = await eventually(asked, timeout=20, what="the number bought on request")
    again = await numbers.http.post("/v1/numbers/mine", headers=headers)

    assert first.json()["phone_number"].startswith("+1512")
    assert again.status_code == 202 and again.json()["phone_number"] == first.json()["phone_number"]
    assert len(await numbers.numbers_at_carrier(user_id)) == 1
