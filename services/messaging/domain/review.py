"""Review items: replies a texter judges. A maybe-revocation holds sending to the phone until it
is decided or ten business days pass, when the opt-out applies (the FCC's limit for honouring a
revocation made in other words, 47 CFR 64.1200(a)(10))."""

from datetime import datetime, timedelta

import holidays

from shared.events.replies import ReviewDecision, ReviewKind

REVIEW_BUSINESS_DAYS = 10
DECISIONS: dict[ReviewKind, tuple[ReviewDecision, ReviewDecision]] = {
    "revocation": ("opt_out", "not_opt_out"),
    "wrong_number": ("wrong_number", "not_wrong_number"),
}
_US_HOLIDAYS = holidays.country_holidays("US")  # federal holidays; years are filled in as asked


def review_deadline(raised_at: datetime, business_days: int = REVIEW_BUSINESS_DAYS) -> datetime:
    """The same time of day `business_days` business days (weekdays that are no US federal holiday) later."""
    moment, left = raised_at, business_days
    while left:
        moment += timedelta(days=1)
        if moment.weekday() < 5 and moment.date() not in _US_HOLIDAYS:
            left -= 1
    return moment


def fits(kind: ReviewKind, decision: str) -> bool:
    return decision in DECISIONS[kind]


def opts_out(decision: str) -> bool:
    return decision == "opt_out"
