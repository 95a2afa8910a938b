"""The texting rules on their own: quiet hours, encoding and segments, merge fields, carrier errors, job counts."""

from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.messaging.adapters.store.bulk_jobs import job_counters
from services.messaging.domain import encoding, quiet_hours
from services.messaging.domain.carrier_errors import meaning_of, phone_flags_for
from services.messaging.domain.merge_fields import render
from services.messaging.service_layer.bulk import progress_of

CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")


def at(zone: ZoneInfo, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 10, hour, minute, tzinfo=zone).astimezone(UTC)


def hold_at(moment: datetime, phone: dict, account_window=None, **address) -> quiet_hours.Hold | None:
    return quiet_hours.held_until(moment, quiet_hours.places_of(phone, **address), account_window)


TEXAS, FLORIDA, NEW_YORK_CITY, SEATTLE = "+17372345678", "+13055551234", "+12125550123", "+12062345678"


class TestQuietHours:
    def test_the_recipient_is_placed_by_their_number(self):
        (texas,) = quiet_hours.places_of({"e164": TEXAS})
        (florida,) = quiet_hours.places_of({"e164": FLORIDA})
        (new_york,) = quiet_hours.places_of({"e164": NEW_YORK_CITY})
        assert (texas.zone.key, texas.state) == ("America/Chicago", "TX")
        assert (florida.zone.key, florida.state) == ("America/New_York", "FL")
        assert new_york.state == "NY"

    def test_the_phones_recorded_zone_and_region_count_beside_the_numbers(self):
        places = quiet_hours.places_of({"e164": TEXAS, "time_zone": "America/Denver", "region": "Colorado"})
        assert {(place.zone.key, place.state) for place in places} == {("America/Denver", "CO"), ("America/Chicago", "CO")}

    @pytest.mark.parametrize("hour, minute, held", [(7, 59, True), (8, 0, False), (20, 59, False), (21, 0, True), (23, 30, True)])
    def test_eight_to_nine_where_the_recipient_is(self, hour, minute, held):
        hold = hold_at(at(CHICAGO, hour, minute), {"e164": TEXAS})
        assert (hold is not None) == held
        if held:
            assert hold.until.astimezone(CHICAGO).time() == time(8) and hold.zone == "America/Chicago"

    def test_late_evening_waits_for_the_next_morning(self):
        assert hold_at(at(CHICAGO, 22), {"e164": TEXAS}).until == datetime(2026, 3, 11, 8, 0, tzinfo=CHICAGO)

    def test_florida_ends_at_eight_in_the_evening(self):
        moment = at(NEW_YORK, 20, 30)
        assert hold_at(moment, {"e164": FLORIDA}) is not None
        assert hold_at(moment, {"e164": NEW_YORK_CITY}) is None

    def test_washington_ends_at_eight_in_the_evening_whatever_the_geocoder_calls_it(self):
        moment = at(ZoneInfo("America/Los_Angeles"), 20, 30)
        for phone in ({"e164": SEATTLE}, {"e164": SEATTLE, "time_zone": "America/Los_Angeles", "region": "Washington State"}):
            assert {place.state for place in quiet_hours.places_of(phone)} == {"WA"}
            assert hold_at(moment, phone) is not None

    def test_an_account_may_narrow_the_window_but_never_widen_it(self):
        (texas,) = quiet_hours.places_of({"e164": TEXAS})
        narrower, _ = quiet_hours.rule_for(texas, quiet_hours.Window(time(10), time(18)))
        wider, _ = quiet_hours.rule_for(texas, quiet_hours.Window(time(6), time(23)))
        assert (narrower.start, narrower.end) == (time(10), time(18))
        assert (wider.start, wider.end) == (time(8), time(21))


class TestEncoding:
    def test_a_two_septet_character_is_never_split_between_parts(self):
        assert encoding.segments_of("a" * 152 + "€" + "a" * 152) == 3
        assert encoding.segments_of("a" * 151 + "€" + "a" * 153) == 2
        assert encoding.segments_of("a" * 152 + "€" + "a" * 5) == 1  # 159 septets: one segment

    def test_a_surrogate_pair_is_never_split_between_parts(self):
        assert encoding.segments_of("ж" * 66 + "😀" + "ж" * 66) == 3
        assert encoding.segments_of("ж" * 65 + "😀" + "ж" * 67) == 2
        assert encoding.segments_of("😀" * 35) == 1

    def test_plain_text_is_gsm7_in_160_character_segments(self):
        assert encoding.preview("Hi Pat").encoding == "GSM-7"
        assert encoding.segments_of("a" * 160) == 1
        assert encoding.segments_of("a" * 161) == 2
        assert encoding.segments_of("a" * 306) == 2
        assert encoding.segments_of("a" * 307) == 3

    def test_extended_characters_take_two_septets(self):
        assert encoding.encoding_of("price: 5€ [approx]") == "GSM-7"
        assert encoding.segments_of("€" * 80) == 1
        assert encoding.segments_of("€" * 81) == 2

    def test_anything_else_is_ucs2_in_70_character_segments(self):
        assert encoding.encoding_of("Vote 🗳") == "UCS-2"
        assert encoding.segments_of("ж" * 70) == 1
        assert encoding.segments_of("ж" * 71) == 2
        assert encoding.segments_of("🗳" * 35) == 1  # two UTF-16 units each

    def test_smart_quotes_are_offered_their_plain_look_alikes(self):
        found = encoding.preview("\u201cWe\u2019re close\u201d \u2014 vote today\u2026")
        assert (found.encoding, found.segments) == ("UCS-2", 1)
        assert found.suggested_body == "\"We're close\" - vote today..."
        assert (found.suggested_encoding, found.suggested_segments) == ("GSM-7", 1)
        assert {(item.original, item.replacement, item.count) for item in found.replacements} >= {("\u201c", '"', 1), ("\u2019", "'", 1)}

    def test_nothing_is_offered_when_replacing_would_not_help_or_is_not_needed(self):
        assert encoding.preview("Plain 'text'").suggested_body is None
        assert encoding.preview("Emoji 🗳").suggested_body is None

    def test_cost_is_segments_times_the_price(self):
        assert encoding.cost_of(3 * 1000, Decimal("0.0079")) == Decimal("23.7000")


class TestMergeFields:
    contact = {"first_name": "Pat", "last_name": "", "custom_fields": {"precinct": 12, "team": ""}}

    def test_fields_of_the_contact_are_filled_in(self):
        assert render("Hi {first_name}, precinct {precinct}!", self.contact) == "Hi Pat, precinct 12!"

    def test_an_empty_field_takes_its_fallback_or_disappears(self):
        assert render("Hi {last_name|neighbour}, team {team|blue}", self.contact) == "Hi neighbour, team blue"
        assert render("Hi {first_name} {last_name}!", self.contact) == "Hi Pat !"
        assert render("Hi {nickname|friend}", {}) == "Hi friend"


class TestCarrierErrors:
    @pytest.mark.parametrize(
        "code, verdict, flags",
        [
            (21610, "opted_out", {"opted_out": True, "opt_out_source": "carrier"}),
            (21211, "unreachable", {"unreachable": True, "unreachable_reason": "unreachable"}),
            (30003, "unreachable", {"unreachable": True, "unreachable_reason": "unreachable"}),
            (30005, "unreachable", {"unreachable": True, "unreachable_reason": "unreachable"}),
            (30006, "landline", {"unreachable": True, "unreachable_reason": "landline"}),
            (30007, "carrier_filtered", None),
        ],
    )
    def test_each_code_says_what_it_means_for_the_phone(self, code, verdict, flags):
        meaning = meaning_of(code)
        assert meaning.verdict == verdict
        assert phone_flags_for(meaning) == flags

    def test_other_codes_say_nothing_about_the_phone(self):
        assert meaning_of(30008) is None and meaning_of(None) is None


class TestBulkProgress:
    def test_each_state_counts_once_where_it_belongs(self):
        assert job_counters("queued", {}) == {"counts.sent": 1, "counts.done": 1}
        assert job_counters("delivered", {}) == {"counts.delivered": 1}
        assert job_counters("undelivered", {}) == {"counts.failed": 1}  # it was sent: done already
        assert job_counters("failed", {"rejected": True}) == {"counts.failed": 1, "counts.done": 1}
        assert job_counters("skipped", {"skip_reason": "dnc"}) == {"counts.skipped.dnc": 1, "counts.done": 1}
        assert job_counters("cancelled", {}) == {"counts.cancelled": 1, "counts.done": 1}

    def test_progress_reads_the_counters(self):
        job = {
            "_id": "j1",
            "total": 10,
            "contacts": 8,
            "counts": {"sent": 5, "delivered": 4, "done": 7, "skipped": {"dnc": 2}},
            "created_at": datetime.now(UTC),
            "enqueued_at": datetime.now(UTC),
        }
        progress = progress_of(job)
        assert (progress["status"], progress["queued"], progress["sent"], progress["skipped"]) == ("sending", 3, 5, {"dnc": 2})
        assert progress_of({**job, "counts": {**job["counts"], "done": 10}})["status"] == "completed"
        assert progress_of({**job, "cancelled_at": datetime.now(UTC)})["status"] == "cancelling"


def test_quiet_hours_cannot_be_turned_off_in_production():
    import pytest
    from pydantic import ValidationError

    from services.messaging.settings import MessagingSettings

    secrets = {"internal_auth_secret": "a-real-secret-of-enough-length-for-production-use"}
    assert MessagingSettings(_env_file=None, environment="test", quiet_hours_enforced=False).quiet_hours_enforced is False
    with pytest.raises(ValidationError, match="QUIET_HOURS"):
        MessagingSettings(_env_file=None, environment="production", quiet_hours_enforced=False, **secrets)
