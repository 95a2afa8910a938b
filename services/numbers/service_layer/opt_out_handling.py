"""Whether the carrier itself answers STOP, START and HELP texted to a number (Twilio's Advanced
Opt-Out, set on the messaging service in Twilio's console, so not readable through its API): an
owner or admin says so per number, and messaging hears it (number.opt_out_handling_changed) and
then sends only the confirmations the carrier does not."""

from datetime import UTC, datetime

from services.numbers.domain.lines import Line, LineState
from services.numbers.service_layer.ports import NumbersPorts
from shared.events import Envelope, NumberOptOutHandlingChanged


class NumberNotFound(Exception):
    pass


async def set_opt_out_handling(
    *, ports: NumbersPorts, account_id: str, number_id: str, carrier_answers: bool, by_user_id: str | None
) -> Line:
    """Record the choice on the account's active number `number_id` (with its event, once per change)."""
    line = await _active_line(ports, account_id, number_id)
    if line.carrier_answers_keywords == carrier_answers:
        return line
    changed = NumberOptOutHandlingChanged(
        number_id=number_id, user_id=line.user_id, phone_number=line.phone_number or "",
        carrier_answers_keywords=carrier_answers, by_user_id=by_user_id,
    )
    event = Envelope.wrap(changed, account_id=account_id, subject=line.user_id)
    if not await ports.lines.set_carrier_answers_keywords(
        line.id, number_id=number_id, answers=carrier_answers, now=datetime.now(UTC), events=[event]
    ):
        raise NumberNotFound(f"number {number_id} is no longer active")
    ports.notify_written()
    return await ports.lines.get(line.id)


async def _active_line(ports: NumbersPorts, account_id: str, number_id: str) -> Line:
    for line in await ports.lines.in_account(account_id):
        if line.number_id == number_id and line.state == LineState.ACTIVE:
            return line
    raise NumberNotFound(f"number {number_id} not found among the account's active numbers")
