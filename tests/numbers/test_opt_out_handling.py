"""Per number, owners and admins say whether the carrier answers STOP, START and HELP itself
(Twilio's Advanced Opt-Out); each change is announced as number.opt_out_handling_changed."""

from tests.numbers.test_http import provision
from tests.support.waiting import eventually

TOPIC = "number.opt_out_handling_changed"


async def _announced(numbers, account_id, count: int) -> list[dict]:
    async def enough():
        found = numbers.events.of(TOPIC, account_id)
        return found if len(found) >= count else None

    return await eventually(enough, what=f"{count} {TOPIC} event(s)")


async def _line(numbers, account_id, headers, user_id) -> dict:
    listed = await numbers.http.get("/v1/numbers", headers=headers)
    assert listed.status_code == 200, listed.text
    return next(line for line in listed.json()["items"] if line["user_id"] == user_id)


async def test_an_admin_marks_a_number_whose_keywords_the_carrier_answers_and_it_is_announced_once(numbers, account_id):
    texter, phone_number = await provision(numbers, account_id, name="Tess Texter")
    admin = numbers.headers(account_id, "admin-1", role="admin")
    line = await _line(numbers, account_id, admin, texter.user_id)
    assert line["carrier_answers_keywords"] is False and line["number_id"]
    path = f"/v1/numbers/{line['number_id']}/opt-out-handling"

    refused = await numbers.http.put(path, json={"carrier_answers_keywords": True}, headers=numbers.headers(account_id, texter.user_id))
    assert refused.status_code == 403
    changed = await numbers.http.put(path, json={"carrier_answers_keywords": True}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["carrier_answers_keywords"] is True and changed.json()["phone_number"] == phone_number
    again = await numbers.http.put(path, json={"carrier_answers_keywords": True}, headers=numbers.headers(account_id, "o", role="owner"))
    assert again.status_code == 200 and again.json()["carrier_answers_keywords"] is True

    [event] = await _announced(numbers, account_id, 1)
    assert event["subject"] == texter.user_id
    assert event["data"] == {
        "number_id": line["number_id"], "user_id": texter.user_id, "phone_number": phone_number,
        "carrier_answers_keywords": True, "by_user_id": "admin-1",
    }
    assert (await _line(numbers, account_id, admin, texter.user_id))["carrier_answers_keywords"] is True

    off = await numbers.http.put(path, json={"carrier_answers_keywords": False}, headers=admin)
    assert off.status_code == 200 and off.json()["carrier_answers_keywords"] is False
    events = await _announced(numbers, account_id, 2)
    assert [e["data"]["carrier_answers_keywords"] for e in events] == [True, False]
    # The outbox publishes in order: had the repeated PUT been announced, it would stand before the change back.
    assert len(numbers.events.of(TOPIC, account_id)) == 2  # setting what it already was announced nothing


async def test_another_accounts_number_an_unknown_one_or_a_bad_body_change_nothing(numbers, account_id):
    texter, _ = await provision(numbers, account_id, name="Tess Texter")
    admin = numbers.headers(account_id, "admin-1", role="admin")
    number_id = (await _line(numbers, account_id, admin, texter.user_id))["number_id"]
    path = f"/v1/numbers/{number_id}/opt-out-handling"

    stranger = numbers.headers("acct-someone-else", "admin-2", role="admin")
    assert (await numbers.http.put(path, json={"carrier_answers_keywords": True}, headers=stranger)).status_code == 404
    unknown = await numbers.http.put("/v1/numbers/no-such-number/opt-out-handling", json={"carrier_answers_keywords": True}, headers=admin)
    assert unknown.status_code == 404
    for body in ({"carrier_answers_keywords": "maybe"}, {}, {"carrier_answers_keywords": True, "other": 1}):
        bad = await numbers.http.put(path, json=body, headers=admin)
        assert bad.status_code == 422 and bad.json()["errors"], bad.text
    too_long = await numbers.http.put(f"/v1/numbers/{'x' * 101}/opt-out-handling", json={"carrier_answers_keywords": True}, headers=admin)
    assert too_long.status_code == 422

    assert (await _line(numbers, account_id, admin, texter.user_id))["carrier_answers_keywords"] is False
    assert numbers.events.of(TOPIC, account_id) == []
