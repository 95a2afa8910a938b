"""Searching, buying, configuring and releasing numbers through the official SDK."""

import phonenumbers
import pytest
from phonenumbers import geocoder
from twilio.base.exceptions import TwilioRestException


async def local_numbers(twilio, **search):
    return await twilio.available_phone_numbers("US").local.list_async(**search)


async def test_local_numbers_are_valid_us_numbers_in_the_area_code(twilio):
    offered = await local_numbers(twilio, area_code=512, sms_enabled=True, voice_enabled=True, limit=20)

    assert len(offered) == 20
    assert len({n.phone_number for n in offered}) == 20
    for number in offered:
        parsed = phonenumbers.parse(number.phone_number)
        assert phonenumbers.is_valid_number_for_region(parsed, "US")
        assert number.phone_number.startswith("+1512")
        assert number.phone_number[5:8] != "555"
        assert (number.region, number.iso_country) == ("TX", "US")
        assert number.capabilities == {"voice": True, "sms": True, "mms": True, "fax": False}
        assert number.friendly_name == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        if number.locality:
            assert geocoder.description_for_number(parsed, "en") == f"{number.locality}, TX"


async def test_the_same_search_offers_the_same_numbers(twilio):
    first = await local_numbers(twilio, area_code=415, limit=10)
    again = await local_numbers(twilio, area_code=415, limit=10)

    assert [n.phone_number for n in first] == [n.phone_number for n in again]


async def test_a_bought_number_is_never_offered_again(twilio, buy_number):
    offered = await local_numbers(twilio, area_code=512, limit=10)
    bought = await buy_number(area_code=512)

    offered_after = await local_numbers(twilio, area_code=512, limit=10)

    assert bought.phone_number == offered[0].phone_number
    assert bought.phone_number not in {n.phone_number for n in offered_after}
    assert [n.phone_number for n in offered_after][:9] == [n.phone_number for n in offered][1:]


async def test_contains_pattern_with_wildcards(twilio):
    offered = await local_numbers(twilio, area_code=512, contains="42**", limit=5)

    assert offered
    assert all("42" in n.phone_number[5:] for n in offered)


async def test_contains_letters_match_keypad_digits(twilio):
    offered = await local_numbers(twilio, area_code=512, contains="PIZZA", limit=3)

    assert offered and all("74992" in n.phone_number for n in offered)


async def test_in_region_searches_the_states_area_codes(twilio):
    offered = await local_numbers(twilio, in_region="CO", limit=15)

    area_codes = {n.phone_number[2:5] for n in offered}
    assert offered and all(n.region == "CO" for n in offered)
    assert area_codes <= {"303", "719", "720", "748", "970", "983"}


async def test_area_code_outside_the_region_finds_nothing(twilio):
    assert await local_numbers(twilio, area_code=512, in_region="NY") == []


async def test_a_countrywide_search_offers_numbers(twilio):
    offered = await local_numbers(twilio, limit=10)

    assert len(offered) == 10 and all(n.region for n in offered)


async def test_an_exhausted_area_code_has_no_numbers_and_cannot_be_bought(twilio, control, buy_number):
    await control.post("/sandbox/area-codes/512/exhausted", json={"exhausted": True})

    assert await local_numbers(twilio, area_code=512) == []
    with pytest.raises(TwilioRestException) as failure:
        await buy_number(area_code=512)
    assert (failure.value.status, failure.value.code) == (400, 21452)
    assert (await local_numbers(twilio, in_region="TX", limit=5)) and all(
        not n.phone_number.startswith("+1512") for n in await local_numbers(twilio, in_region="TX", limit=30))

    await control.post("/sandbox/area-codes/512/exhausted", json={"exhausted": False})
    assert (await buy_number(area_code=512)).phone_number.startswith("+1512")


async def test_buy_a_chosen_number_with_its_webhooks(twilio, receiver, carrier_settings):
    wanted = (await local_numbers(twilio, area_code=303, limit=3))[2].phone_number

    bought = await twilio.incoming_phone_numbers.create_async(
        phone_number=wanted, sms_url=receiver.url("/sms"), sms_method="POST",
        voice_url=receiver.url("/voice"), voice_method="POST", friendly_name="Dana's line",
    )

    assert bought.sid.startswith("PN") and len(bought.sid) == 34
    assert (bought.phone_number, bought.friendly_name) == (wanted, "Dana's line")
    assert (bought.sms_url, bought.voice_url) == (receiver.url("/sms"), receiver.url("/voice"))
    assert bought.account_sid == carrier_settings.account_sid
    assert bought.capabilities["sms"] and bought.capabilities["voice"]


async def test_buying_an_owned_or_invalid_number_fails_like_twilio(twilio, buy_number):
    owned = await buy_number()

    with pytest.raises(TwilioRestException) as taken:
        await twilio.incoming_phone_numbers.create_async(phone_number=owned.phone_number)
    with pytest.raises(TwilioRestException) as invalid:
        await twilio.incoming_phone_numbers.create_async(phone_number="+1512")
    with pytest.raises(TwilioRestException) as bad_area:
        await twilio.incoming_phone_numbers.create_async(area_code="999")

    assert [taken.value.code, invalid.value.code, bad_area.value.code] == [21422, 21421, 21451]


async def test_update_fetch_list_and_release(twilio, receiver, buy_number):
    bought = await buy_number()
    other = await buy_number()

    updated = await twilio.incoming_phone_numbers(bought.sid).update_async(
        sms_url=receiver.url("/new-sms"), voice_url=receiver.url("/new-voice"), voice_method="GET")
    fetched = await twilio.incoming_phone_numbers(bought.sid).fetch_async()
    only_bought = await twilio.incoming_phone_numbers.list_async(phone_number=bought.phone_number)
    every = await twilio.incoming_phone_numbers.list_async()

    assert (updated.sms_url, updated.voice_url, updated.voice_method) == (
        receiver.url("/new-sms"), receiver.url("/new-voice"), "GET")
    assert fetched.sms_url == receiver.url("/new-sms")
    assert [n.sid for n in only_bought] == [bought.sid]
    assert {n.sid for n in every} == {bought.sid, other.sid}

    assert await twilio.incoming_phone_numbers(bought.sid).delete_async() is True
    with pytest.raises(TwilioRestException) as gone:
        await twilio.incoming_phone_numbers(bought.sid).fetch_async()
    assert gone.value.status == 404
    assert [n.sid for n in await twilio.incoming_phone_numbers.list_async()] == [other.sid]


async def test_release_answers_204(control, buy_number, carrier_settings):
    bought = await buy_number()

    response = await control.delete(
        f"/2010-04-01/Accounts/{carrier_settings.account_sid}/IncomingPhoneNumbers/{bought.sid}.json")

    assert response.status_code == 204
    assert (await control.get("/sandbox/incoming-phone-numbers")).json() == {"incoming_phone_numbers": []}


async def test_sending_from_a_released_number_is_21606(twilio, buy_number, new_us_number):
    bought = await buy_number()
    await twilio.incoming_phone_numbers(bought.sid).delete_async()

    with pytest.raises(TwilioRestException) as failure:
        await twilio.messages.create_async(to=new_us_number(), from_=bought.phone_number, body="x")

    assert failure.value.code == 21606
