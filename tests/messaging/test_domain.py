"""Unit tests of the texting rules: no infrastructure."""

from datetime import UTC, datetime, timedelta

import pytest

from services.messaging.domain import lifecycle
from services.messaging.domain.model import (
    MAX_BODY_CHARS,
    InvalidBody,
    clean_body,
    detect_keyword,
    moves_forward,
    skip_reason,
    status_from_carrier,
)
from services.messaging.service_layer.batch_delivery import in_waves
from services.messaging.service_layer.delivery import number_request_window
from shared.events.messaging import MessageSendRequested


def contact(**fields) -> dict:
    return {"contact_id": "c1", "dnc": False, "deleted": False, **fields}


def phone(**fields) -> dict:
    return {"phone_id": "p1", "e164": "+15125550100", "type": "cell", "status": "active", **fields}


class TestBody:
    def test_is_trimmed(self):
        assert clean_body("  hello \n") == "hello"

    @pytest.mark.parametrize("body", ["", "   ", "\n\t"])
    def test_must_not_be_empty(self, body):
        with pytest.raises(InvalidBody, match="empty"):
            clean_body(body)

    def test_may_be_1600_characters_but_no_more(self):
        assert clean_body("x" * MAX_BODY_CHARS) == "x" * MAX_BODY_CHARS
        with pytest.raises(InvalidBody, match="1601 characters"):
            clean_body("x" * (MAX_BODY_CHARS + 1))


class TestWhoMayBeTexted:
    def test_an_active_cell_of_a_contact_may(self):
        assert skip_reason(contact(), phone()) is None

    @pytest.mark.parametrize(
        ("the_contact", "the_phone", "reason"),
        [
            (contact(), phone(type="home"), "not_cell"),
            (contact(), phone(type="landline"), "not_cell"),
            (contact(), phone(status="landline"), "not_cell"),
            (contact(), phone(wrong_number=True), "wrong_number"),
            (contact(dnc=True), phone(), "dnc"),
            (contact(), phone(opted_out=True), "opted_out"),
            (contact(deleted=True), phone(), "contact_deleted"),
            (None, None, "contact_deleted"),
            (contact(), None, "phone_removed"),
        ],
    )
    def test_others_may_not_and_say_why(self, the_contact, the_phone, reason):
        assert skip_reason(the_contact, the_phone) == reason


class TestStatusOrder:
    @pytest.mark.parametrize(
        ("current", "new"),
        [("accepted", "sending"), ("sending", "queued"), ("queued", "sent"), ("sent", "delivered"), ("queued", "undelivered"), ("queued", "failed")],
    )
    def test_moves_forward(self, current, new):
        assert moves_forward(current, new)

    @pytest.mark.parametrize(
        ("current", "new"),
        [("sent", "queued"), ("sent", "sent"), ("queued", "sending"), ("delivered", "undelivered"), ("failed", "delivered"), ("skipped", "sent")],
    )
    def test_never_backwards_nor_out_of_a_final_status(self, current, new):
        assert not moves_forward(current, new)

    def test_carrier_statuses_map_to_ours(self):
        assert status_from_carrier("Delivered") == "delivered"
        assert status_from_carrier("canceled") == "cancelled"
        assert status_from_carrier("read") == "delivered"
        assert status_from_carrier("accepted") is None
        assert status_from_carrier(None) is None


class TestKeywords:
    @pytest.mark.parametrize(
        ("body", "keyword", "word"),
        [
            ("STOP", "opt_out", "STOP"),
            (" stop. ", "opt_out", "STOP"),
            ("Unsubscribe!", "opt_out", "UNSUBSCRIBE"),
            ("stopall", "opt_out", "STOPALL"),
            ("cancel", "opt_out", "CANCEL"),
            ("End", "opt_out", "END"),
            ("quit", "opt_out", "QUIT"),
            ("revoke", "opt_out", "REVOKE"),
            ("OptOut", "opt_out", "OPTOUT"),
            ("Start", "opt_in", "START"),
            (" yes ", "opt_in", "YES"),
            ("unstop", "opt_in", "UNSTOP"),
            ("help?", "help", "HELP"),
            ("Info", "help", "INFO"),
        ],
    )
    def test_single_keywords_are_spotted(self, body, keyword, word):
        detected = detect_keyword(body)
        assert (detected.keyword, detected.word) == (keyword, word)

    @pytest.mark.parametrize("body", ["stop texting me", "please stop", "STOPPED", "", "!!!", "yes please", "help me", "Yes!", "start.", "UNSTOP?"])
    def test_anything_else_is_just_a_reply(self, body):
        assert detect_keyword(body) is None


class TestLifecycle:
    def state(self, state: lifecycle.State, **details) -> dict:
        return {"_id": f"m1:{state.key}", "key": state.key, "status": state.status, "step": state.step, "at": details.pop("at", None), **details}

    def test_a_message_without_states_is_accepted(self):
        view = lifecycle.message_view({"_id": "m1", "direction": "outbound", "created_at": 1}, [])
        assert view["status"] == "accepted"

    def test_the_furthest_state_wins_whatever_the_order_recorded(self):
        states = [
            self.state(lifecycle.final("delivered")),
            self.state(lifecycle.QUEUED, carrier_sid="SM1", from_number="+15125550199", segments=1),
            self.state(lifecycle.SENT),
            self.state(lifecycle.SENDING, from_number="+15125550199"),
        ]
        view = lifecycle.message_view({"_id": "m1", "direction": "outbound", "created_at": 1}, states)
        assert (view["status"], view["carrier_sid"], view["from_number"], view["segments"]) == ("delivered", "SM1", "+15125550199", 1)

    def test_a_released_message_is_accepted_again_and_may_wait_again(self):
        states = [self.state(lifecycle.waiting(1)), self.state(lifecycle.released(1))]
        assert lifecycle.current_status(states) == "accepted"
        assert lifecycle.next_round(states, "pause") == 2
        assert lifecycle.current_status([*states, self.state(lifecycle.waiting(2))]) == "waiting_for_number"

    def test_waiting_for_a_number_and_holds_share_one_sequence_of_rounds(self):
        states = [self.state(lifecycle.waiting(1)), self.state(lifecycle.released(1)), self.state(lifecycle.held(2))]
        assert lifecycle.current_status(states) == "scheduled"
        assert lifecycle.held(2).key == lifecycle.waiting(2).key  # one pause per round, whatever its kind
        assert lifecycle.current_status([*states, self.state(lifecycle.released(2))]) == "accepted"

    def test_every_final_status_shares_one_state(self):
        assert lifecycle.final("skipped").key == lifecycle.final("delivered").key == "final"
        with pytest.raises(ValueError):
            lifecycle.final("sent")

    def test_carrier_callbacks_can_only_reach_sent_or_a_final_state(self):
        assert lifecycle.carrier_state("sent") == lifecycle.SENT
        assert lifecycle.carrier_state("undelivered") == lifecycle.final("undelivered")
        assert lifecycle.carrier_state("queued") is None
        assert lifecycle.carrier_state("sending") is None


def test_number_requests_are_grouped_in_windows_of_the_interval():
    minute = timedelta(seconds=60)
    start = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert number_request_window(start, minute) == number_request_window(start + timedelta(seconds=59), minute)
    assert number_request_window(start, minute) != number_request_window(start + minute, minute)


def _request(message_id: str, to_number: str, account_id: str = "a1") -> tuple[str, MessageSendRequested]:
    return account_id, MessageSendRequested(
        message_id=message_id, conversation_id="c", contact_id="p", phone_id="ph", to_number=to_number, user_id="u", body="hi"
    )


def test_a_batch_goes_in_waves_with_at_most_one_text_per_recipient_each_in_order():
    batch = [_request("m1", "+1"), _request("m2", "+2"), _request("m3", "+1"), _request("m4", "+1"), _request("m5", "+2", "a2")]

    waves = [[event.message_id for _, event in wave] for wave in in_waves(batch)]

    assert waves == [["m1", "m2", "m5"], ["m3"], ["m4"]]
