"""The safest time zone: a text goes only when it is allowed in every zone the recipient's number
may be in and where their address says they live; the hold names the zone that held it."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.messaging.domain import quiet_hours

ANCHORAGE, ADAK, HONOLULU = ZoneInfo("America/Anchorage"), ZoneInfo("America/Adak"), ZoneInfo("Pacific/Honolulu")
NEW_YORK, JACKSON = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago")
ALASKA_ADAK_OR_ANCHORAGE = "+19075550123"  # phonenumbers: America/Adak or America/Anchorage
ALASKA_JUNEAU = "+19072290123"  # phonenumbers: America/Juneau only
HAWAII = "+18085550123"
NEW_YORK_CITY = "+12125550123"
MISSISSIPPI = "+16015550123"


def hold_at(moment: datetime, e164: str, account_window=None, **address) -> quiet_hours.Hold | None:
    return quiet_hours.held_until(moment, quiet_hours.places_of({"e164": e164}, **address), account_window)


def local(zone: ZoneInfo, *args) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)


class TestAlaska:
    @pytest.mark.parametrize("hour, minute", [(21, 30), (21, 59)])
    def test_an_adak_or_anchorage_number_is_held_at_nine_in_anchorage(self, hour, minute):
        hold = hold_at(local(ANCHORAGE, 2026, 12, 8, hour, minute), ALASKA_ADAK_OR_ANCHORAGE)
        assert hold.zone == "America/Anchorage"
        assert hold.until == local(ANCHORAGE, 2026, 12, 9, 9, 0)  # 8:00 in Adak, an hour behind

    def test_and_in_the_morning_until_eight_in_adak(self):
        hold = hold_at(local(ANCHORAGE, 2026, 12, 8, 8, 30), ALASKA_ADAK_OR_ANCHORAGE)
        assert (hold.zone, hold.until) == ("America/Adak", local(ADAK, 2026, 12, 8, 8, 0))
        assert hold_at(local(ANCHORAGE, 2026, 12, 8, 9, 0), ALASKA_ADAK_OR_ANCHORAGE) is None
        assert hold_at(local(ANCHORAGE, 2026, 12, 8, 20, 59), ALASKA_ADAK_OR_ANCHORAGE) is None

    def test_a_juneau_number_keeps_juneaus_own_window(self):
        assert hold_at(local(ANCHORAGE, 2026, 12, 8, 8, 30), ALASKA_JUNEAU) is None
        assert hold_at(local(ANCHORAGE, 2026, 12, 8, 21, 30), ALASKA_JUNEAU).zone == "America/Juneau"

    def test_a_contact_living_in_nome_adds_nome(self):
        places = quiet_hours.places_of({"e164": ALASKA_JUNEAU}, address_zip="99762")
        assert {place.zone.key for place in places} == {"America/Juneau", "America/Nome"}
        assert hold_at(local(ANCHORAGE, 2026, 12, 8, 8, 30), ALASKA_JUNEAU, address_zip="99762") is None


def test_hawaii_is_held_after_nine_until_eight_in_honolulu():
    hold = hold_at(local(HONOLULU, 2026, 3, 8, 21, 30), HAWAII)
    assert (hold.zone, hold.until) == ("Pacific/Honolulu", local(HONOLULU, 2026, 3, 9, 8, 0))
    assert hold_at(local(HONOLULU, 2026, 3, 8, 8, 0), HAWAII) is None


class TestAddressElsewhere:
    def test_a_new_york_number_of_a_californian_waits_for_eight_in_california(self):
        hold = hold_at(local(NEW_YORK, 2026, 6, 2, 9, 0), NEW_YORK_CITY, address_state="CA", address_zip="94105")
        assert (hold.zone, hold.until) == ("America/Los_Angeles", local(NEW_YORK, 2026, 6, 2, 11, 0))
        assert hold_at(local(NEW_YORK, 2026, 6, 2, 11, 0), NEW_YORK_CITY, address_state="CA", address_zip="94105") is None

    def test_the_state_of_the_address_brings_its_rule(self):
        hold = hold_at(local(NEW_YORK, 2026, 6, 2, 20, 30), NEW_YORK_CITY, address_state="FL", address_zip="33101")
        assert (hold.zone, hold.state) == ("America/New_York", "FL")
        assert hold_at(local(NEW_YORK, 2026, 6, 2, 20, 30), NEW_YORK_CITY) is None

    def test_a_state_without_a_zip_counts_every_zone_of_the_state(self):
        hold = hold_at(local(NEW_YORK, 2026, 6, 2, 9, 30), NEW_YORK_CITY, address_state="Texas")
        assert (hold.zone, hold.until) == ("America/Denver", local(NEW_YORK, 2026, 6, 2, 10, 0))  # El Paso is on Mountain time


class TestDaylightSavingChanges:
    def test_the_morning_after_the_clocks_go_forward(self):
        assert hold_at(datetime(2026, 3, 8, 12, 30, tzinfo=UTC), NEW_YORK_CITY) is None  # 8:30 EDT
        assert hold_at(datetime(2026, 3, 7, 12, 30, tzinfo=UTC), NEW_YORK_CITY).until == datetime(2026, 3, 7, 13, 0, tzinfo=UTC)

    def test_a_hold_made_the_night_before_opens_at_eight_in_the_new_offset(self):
        hold = hold_at(datetime(2026, 3, 8, 3, 0, tzinfo=UTC), NEW_YORK_CITY)  # 22:00 EST on the 7th
        assert hold.until == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # 8:00 EDT

    def test_the_morning_after_the_clocks_go_back(self):
        hold = hold_at(datetime(2026, 11, 1, 2, 0, tzinfo=UTC), NEW_YORK_CITY)  # 22:00 EDT on 31 October
        assert hold.until == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)  # 8:00 EST

    def test_alaska_on_the_day_the_clocks_go_forward(self):
        hold = hold_at(local(ANCHORAGE, 2026, 3, 8, 8, 30), ALASKA_ADAK_OR_ANCHORAGE)
        assert (hold.zone, hold.until) == ("America/Adak", local(ADAK, 2026, 3, 8, 8, 0))


def test_mississippi_is_never_texted_on_a_sunday():
    hold = hold_at(local(JACKSON, 2026, 12, 6, 12, 0), MISSISSIPPI)  # a Sunday
    assert (hold.state, hold.until) == ("MS", local(JACKSON, 2026, 12, 7, 8, 0))
    assert hold_at(local(JACKSON, 2026, 12, 7, 19, 59), MISSISSIPPI) is None
    assert hold_at(local(JACKSON, 2026, 12, 7, 20, 0), MISSISSIPPI) is not None


def test_the_accounts_narrower_window_applies_in_every_zone():
    window = quiet_hours.Window(time(10), time(18))
    hold = hold_at(local(ANCHORAGE, 2026, 12, 8, 10, 30), ALASKA_ADAK_OR_ANCHORAGE, window)
    assert (hold.zone, hold.until) == ("America/Adak", local(ANCHORAGE, 2026, 12, 8, 11, 0))
