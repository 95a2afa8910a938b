"""When a scheduled send goes: a wall-clock time read in the sender's zone, bounded by now and a year."""

from datetime import UTC, datetime, timedelta

import pytest

from services.messaging.domain.schedules import InvalidSchedule, send_time

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def test_a_wall_clock_time_is_read_in_its_zone_winter_and_summer_alike():
    winter = send_time(datetime(2027, 3, 2, 9, 0), "America/Chicago", now=NOW)
    summer = send_time(datetime(2027, 3, 15, 9, 0), "America/Chicago", now=NOW)
    assert winter.at == datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
    assert summer.at == datetime(2027, 3, 15, 14, 0, tzinfo=UTC)  # the day after clocks went forward
    assert summer.local.isoformat() == "2027-03-15T09:00:00-05:00"


def test_a_time_with_an_offset_is_that_moment_shown_in_the_zone():
    when = send_time(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), "America/Anchorage", now=NOW)
    assert when.at == datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    assert when.local.isoformat() == "2027-03-02T00:00:00-09:00"


def test_a_time_the_clocks_skip_is_read_with_the_offset_before_the_change():
    when = send_time(datetime(2027, 3, 14, 2, 30), "America/Chicago", now=NOW)
    assert when.at == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("send_at", "zone", "field", "words"),
    [
        (NOW - timedelta(seconds=1), "UTC", "send_at", "has passed"),
        (NOW, "UTC", "send_at", "has passed"),
        (NOW + timedelta(days=365, seconds=1), "UTC", "send_at", "a year ahead"),
        (NOW + timedelta(days=1), "Mars/Olympus_Mons", "time_zone", "IANA"),
        (datetime(1, 1, 1), "Asia/Tokyo", "send_at", "cannot be scheduled"),
        (datetime(9999, 12, 31, 23, 59), "America/Chicago", "send_at", "cannot be scheduled"),
        (datetime(9999, 12, 31, 23, 59), "Asia/Tokyo", "send_at", "a year ahead"),
        (NOW + timedelta(days=1), "../../etc/passwd", "time_zone", "IANA"),
    ],
)
def test_past_far_off_and_unknown_zones_are_refused_with_their_field(send_at, zone, field, words):
    with pytest.raises(InvalidSchedule) as refused:
        send_time(send_at, zone, now=NOW)
    assert refused.value.field == field and words in refused.value.problem


def test_a_year_ahead_is_allowed():
    assert send_time(NOW + timedelta(days=365), "UTC", now=NOW).at == NOW + timedelta(days=365)
