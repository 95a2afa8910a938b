"""The reply classifier on the labelled table (fixtures/replies.csv) and on the cases the rules name."""

import pytest

from services.messaging.domain.reply_classifier import classify
from tests.messaging.reply_table import load_table, scores

# Revocations that the classifier takes for something else would be texted again: none may be missed.
# A reply wrongly taken for a revocation only opts out someone who may opt in again, hence a floor.
REVOCATION_PRECISION_FLOOR = 0.95
CLASS_PRECISION_FLOOR = 0.9


def test_the_table_has_enough_labelled_replies_in_both_languages():
    replies = load_table()
    assert len(replies) >= 150
    for language in ("en", "es"):
        assert {reply.label for reply in replies if reply.language == language} >= {"revocation", "wrong_number", "ordinary", "ambiguous"}


def test_no_revocation_in_the_table_is_missed():
    by_kind, wrong = scores(load_table())
    missed = [(reply.text, kind) for reply, kind in wrong if reply.label in ("opt_out_keyword", "revocation") and kind not in ("opt_out_keyword", "revocation")]
    assert missed == []
    assert by_kind["revokes"].recall == 1.0


def test_precision_stays_above_its_floor():
    by_kind, _ = scores(load_table())
    assert by_kind["revokes"].precision >= REVOCATION_PRECISION_FLOOR
    for kind in ("opt_out_keyword", "revocation", "wrong_number", "ambiguous", "ordinary"):
        assert by_kind[kind].precision >= CLASS_PRECISION_FLOOR, by_kind[kind]


@pytest.mark.parametrize("text", ["opt out", "Opt-Out", "STOP ALL", "stop all texts", "StopAll", " Stop. "])
def test_per_se_phrases_are_keywords(text):
    assert classify(text).kind == "opt_out_keyword"


@pytest.mark.parametrize(
    "text",
    ["stop texting me", "Please stop", "remove me from your list", "unsubscribe me", "No more texts please",
     "don't text me", "take me off", "leave me alone", "stpo texting me", "unsubscibe", "no más", "para", "alto",
     "No me envíen más mensajes"],
)
def test_revocations_in_other_words(text):
    assert classify(text).kind == "revocation"


@pytest.mark.parametrize("text", ["I can't stop laughing", "Stop by the office at 5", "I need to cancel my appointment"])
def test_a_per_se_word_outside_a_revocation_is_for_a_person_to_read(text):
    assert classify(text).kind == "ambiguous"


@pytest.mark.parametrize("text", ["wrong number", "you have the wrong person", "This isn't Maria", "número equivocado"])
def test_wrong_number_replies(text):
    assert classify(text).kind == "wrong_number"


def test_a_wrong_number_reply_that_also_revokes_is_a_revocation_that_names_the_wrong_number():
    verdict = classify("Wrong number. Stop texting me")
    assert verdict.kind == "revocation" and verdict.wrong_number


@pytest.mark.parametrize("text", ["Yes", "Who is this?", "Not today", "Para mañana está bien", "", "   "])
def test_ordinary_replies(text):
    assert classify(text).kind == "ordinary"
