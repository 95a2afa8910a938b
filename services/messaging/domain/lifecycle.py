"""A message's life as a series of states, each recorded once.

A message never changes: each state it reaches is a new document whose id names
the state (`<message id>:<key>`), checked by the unique `_id`, and its current
state is the one furthest along (`step`). Two workers can never both record
`sending`, a final state is recorded once, and the history of a message (when it
waited, was held for quiet hours, was taken over) stays readable.
"""

from dataclasses import dataclass

from services.messaging.domain.model import FINAL_STATUSES


@dataclass(frozen=True)
class State:
    key: str
    status: str
    step: int


ACCEPTED = State("accepted", "accepted", 0)  # implicit: the message document itself
SENDING = State("sending", "sending", 10_000)
QUEUED = State("queued", "queued", 20_000)
SENT = State("sent", "sent", 30_000)
_FINAL_STEP = 40_000


def waiting(round_: int) -> State:
    """The message waits for its user's number (again, in later rounds)."""
    return State(f"pause:{round_}", "waiting_for_number", 10 * round_ + 1)


def held(round_: int) -> State:
    """The message is held until a time (quiet hours where the recipient is, or the sender's rate)."""
    return State(f"pause:{round_}", "scheduled", 10 * round_ + 1)


def released(round_: int) -> State:
    """The pause is over: the message is accepted again and re-requested."""
    return State(f"released:{round_}", "accepted", 10 * round_ + 5)


def takeover(round_: int) -> State:
    """Another worker took over an ambiguous `sending` whose lease ran out."""
    return State(f"takeover:{round_}", "sending", SENDING.step + round_)


def final(status: str) -> State:
    """Delivered, undelivered, failed, skipped or cancelled: one per message, for good."""
    if status not in FINAL_STATUSES:
        raise ValueError(f"{status} is not a final status")
    return State("final", status, _FINAL_STEP)


def carrier_state(status: str) -> State | None:
    """The state a carrier status callback can move a message to (after it was queued)."""
    if status == "sent":
        return SENT
    if status in FINAL_STATUSES:
        return final(status)
    return None


def current(states: list[dict]) -> dict | None:
    """The recorded state furthest along, or None while the message is just accepted."""
    return max(states, key=lambda state: state["step"], default=None)


def current_status(states: list[dict]) -> str:
    latest = current(states)
    return latest["status"] if latest else ACCEPTED.status


def next_round(states: list[dict], kind: str) -> int:
    return 1 + sum(1 for state in states if state["key"].startswith(kind + ":"))


_DETAILS = ("from_number", "carrier_sid", "segments", "error_code", "skip_reason", "failure_reason", "failure_kind")
_HOLD_DETAILS = ("release_at", "hold_reason", "hold_zone")


def message_view(message: dict, states: list[dict]) -> dict:
    """The message as it stands: its document plus what its states recorded."""
    view = dict(message)
    if message.get("direction") != "outbound":
        return view
    latest = current(states)
    view["status"] = latest["status"] if latest else ACCEPTED.status
    view["updated_at"] = latest["at"] if latest else message["created_at"]
    for state in states:
        view.update({name: state[name] for name in _DETAILS if state.get(name) is not None})
    if latest and latest["status"] == "scheduled":
        view.update({name: latest.get(name) for name in _HOLD_DETAILS})
    return view
