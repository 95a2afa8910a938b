"""Where to look for a number: the user's area code, then its overlays,
then the rest of its state, then anywhere in the country."""

from dataclasses import dataclass

import phonenumbers
from phonenumbers import geocoder

from services.numbers.domain.overlays import overlays_of
from shared.events.numbers import SelectionRule
from shared.phones import state_code

_SAMPLE_EXCHANGES = (234, 555, 200, 300, 400, 500, 600, 700, 800, 900)


@dataclass(frozen=True)
class NumberSearch:
    """One search at the carrier: local US numbers that take texts and calls."""

    selection_rule: SelectionRule
    area_code: str | None = None
    in_region: str | None = None  # two-letter state


def state_of_area_code(area_code: str) -> str | None:
    """The two-letter state of a US area code, from the geocoder's description of a sample number."""
    if not (len(area_code) == 3 and area_code.isdigit()):
        return None
    for exchange in _SAMPLE_EXCHANGES:
        number = phonenumbers.parse(f"+1{area_code}{exchange}1234")
        if not phonenumbers.is_valid_number_for_region(number, "US"):
            continue
        description = geocoder.description_for_number(number, "en")
        state = state_code(description)
        if state:
            return state
    return None


def search_plan(area_code: str | None) -> list[NumberSearch]:
    """The searches to run, best first, for a user whose primary cell is in `area_code`."""
    plan: list[NumberSearch] = []
    state = state_of_area_code(area_code) if area_code else None
    if area_code:
        plan.append(NumberSearch("area_code", area_code=area_code))
        # Only overlays known to be in the same state: a code the numbering data doesn't know is skipped.
        plan.extend(
            NumberSearch("overlay", area_code=overlay)
            for overlay in overlays_of(area_code)
            if state is not None and state_of_area_code(overlay) == state
        )
    if state:
        plan.append(NumberSearch("same_state", in_region=state))
    plan.append(NumberSearch("country"))
    return plan
