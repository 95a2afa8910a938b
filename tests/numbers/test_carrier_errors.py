"""Carrier errors are mapped the same way whatever SDK call raised them (a list call's failed page
included), an area code the carrier sells nothing in falls back to the next search, and every
failure is said in words."""

import pytest
from twilio.base.exceptions import TwilioException
from twilio.http.response import Response

from services.numbers.adapters.twilio_carrier import _calling
from services.numbers.domain.geography import NumberSearch
from services.numbers.service_layer.ports import CarrierError, NumberUnavailable
from tests.numbers.builders import number_needed, user_created
from tests.numbers.test_provisioning import provisioned


async def test_a_user_with_a_canadian_primary_cell_gets_a_number_from_the_country_search(numbers, account_id):
    """The finding: +1 604 got 21451 'invalid area code' from AvailablePhoneNumbers, logged as 'carrier
    unreachable', retried 8 times, never fell back, and the user's first text waited for ever."""
    user = user_created(account_id, area_code="604", name="Val Couver")
    user_id = user.data.user.user_id
    assert user.data.user.primary_cell.startswith("+1604")
    await numbers.produce(user, number_needed(account_id, user_id))

    event = await provisioned(numbers, account_id, user_id)

    assert event["data"]["selection_rule"] == "country"
    [bought] = await numbers.numbers_at_carrier(user_id)
    assert bought["phone_number"] == event["data"]["phone_number"]
    assert not [e for e in numbers.events.of("number.purchase_failed", account_id) if e["data"]["user_id"] == user_id]
    mine = (await numbers.http.get("/v1/numbers/mine", headers=numbers.headers(account_id, user_id))).json()
    assert (mine["state"], mine["phone_number"]) == ("active", bought["phone_number"])


async def test_an_area_code_the_carrier_does_not_sell_in_is_nothing_found_not_an_outage(numbers):
    assert await numbers.carrier.real.search(NumberSearch("area_code", area_code="604"), limit=5) == []


def _page_failure(status: int, body: str) -> TwilioException:
    """What the SDK raises when a page of a list call fails (twilio.base.page.Page.process_response)."""
    return TwilioException("Unable to fetch page", Response(status, body))


async def _raising(error: Exception):
    raise error


@pytest.mark.parametrize(
    "status, body, kind, words",
    [
        (400, '{"code": 21451, "message": "Invalid area code", "status": 400}', CarrierError,
         "the carrier sells no numbers in that area code (it is not a US area code) (carrier error 21451)"),
        (429, '{"code": 20429, "message": "Too Many Requests", "status": 429}', CarrierError,
         "the carrier asked us to slow down (too many requests) (carrier error 20429)"),
        (503, "<html>busy</html>", CarrierError, "the carrier had a problem on its side (HTTP 503)"),
        (400, '{"code": 21422, "message": "PhoneNumber is not available", "status": 400}', NumberUnavailable,
         "that phone number is no longer for sale (carrier error 21422)"),
    ],
)
async def test_a_list_calls_failed_page_is_mapped_like_any_other_carrier_error(status, body, kind, words):
    with pytest.raises(CarrierError) as raised:
        await _calling(_raising(_page_failure(status, body)))

    assert type(raised.value) is kind
    assert str(raised.value) == words
    assert raised.value.__cause__.status == status  # the REST error, as for a create's failure
    assert "unreachable" not in str(raised.value)
