"""Numbers bought per account per day are capped (the finding: every new user bought a number, with
no limit): past the cap the user's line waits for the next day, says why in words, and the user
hears of it; the cap and today's purchases are readable in the API."""

from datetime import UTC, datetime, timedelta

from services.notifications.domain.notifications import number_purchase_failed
from shared.events import NumberPurchaseFailed
from tests.numbers.builders import number_needed, user_created
from tests.numbers.test_provisioning import provisioned
from tests.support.waiting import eventually


async def _purchase_failed(numbers, account_id: str, user_id: str) -> dict:
    async def probe():
        found = [e for e in numbers.events.of("number.purchase_failed", account_id) if e["data"]["user_id"] == user_id]
        return found[0] if found else None

    return await eventually(probe, timeout=20, what=f"number.purchase_failed for {user_id}")


async def test_numbers_past_the_accounts_daily_cap_wait_for_the_next_day_with_the_reason_in_words(numbers, account_id):
    await numbers.service.runtime.db["account_settings"].update_one(
        {"_id": account_id}, {"$set": {"numbers_per_day": 2}}, upsert=True
    )
    users = [user_created(account_id, area_code="512") for _ in range(3)]
    ids = [user.data.user.user_id for user in users]

    for user, user_id in zip(users, ids, strict=True):
        await numbers.produce(user, number_needed(account_id, user_id))
        if user_id != ids[-1]:
            await provisioned(numbers, account_id, user_id)
    failed = (await _purchase_failed(numbers, account_id, ids[-1]))["data"]

    tomorrow = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert "bought its 2 numbers for today" in failed["reason"]
    assert failed["will_retry"] is True
    assert tomorrow <= datetime.fromisoformat(failed["next_attempt_at"]) <= tomorrow + timedelta(minutes=1)
    assert await numbers.numbers_at_carrier(ids[-1]) == []
    mine = (await numbers.http.get("/v1/numbers/mine", headers=numbers.headers(account_id, ids[-1]))).json()
    assert mine["state"] == "failed" and "numbers for today" in mine["last_error"]
    limits = await numbers.http.get("/v1/numbers/limits", headers=numbers.headers(account_id, ids[0]))
    assert limits.status_code == 200, limits.text
    shown = limits.json()["numbers_per_day"]
    assert (shown["limit"], shown["used"], shown["remaining"]) == (2, 2, 0)
    assert datetime.fromisoformat(shown["resets_at"]) == tomorrow

    notification = number_purchase_failed(NumberPurchaseFailed.model_validate(failed))
    assert "bought its 2 numbers for today" in notification.body and "We will try again at 00:" in notification.body


async def test_the_default_cap_is_readable(numbers, account_id):
    shown = (await numbers.http.get("/v1/numbers/limits", headers=numbers.headers(account_id, "someone"))).json()
    assert shown["numbers_per_day"]["limit"] == numbers.settings.numbers_per_day
    assert shown["numbers_per_day"]["used"] == 0
