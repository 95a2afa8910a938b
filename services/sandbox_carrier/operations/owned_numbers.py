"""Finding, buying, configuring and releasing the account's phone numbers."""

import asyncio
from dataclasses import dataclass

from ..domain import sids
from ..domain.records import OwnedNumber
from ..domain.timestamps import utc_now
from ..domain.twilio_errors import TwilioError
from ..phone_numbers.e164 import friendly_name
from ..phone_numbers.inventory import AvailableNumber, NumberSearch
from ..runtime import Carrier

SUPPORTED_COUNTRIES = {"US"}


@dataclass(frozen=True)
class NumberSettings:
    """The configurable parts of an IncomingPhoneNumber; None means 'leave as it is'."""

    friendly_name: str | None = None
    sms_url: str | None = None
    sms_method: str | None = None
    voice_url: str | None = None
    voice_method: str | None = None
    status_callback: str | None = None


async def search_available(carrier: Carrier, country: str, query: NumberSearch, *,
                           limit: int) -> list[AvailableNumber]:
    if country.upper() not in SUPPORTED_COUNTRIES:
        raise TwilioError(20404, f"AvailablePhoneNumbers/{country}")
    if query.area_code is not None and not carrier.inventory.atlas.is_us_area_code(query.area_code):
        raise TwilioError(21451, str(query.area_code))
    taken, exhausted = carrier.state.owned_phone_numbers(), set(carrier.state.exhausted_area_codes)
    try:
        # A first look at an area code scans its exchanges (~30 ms each): keep that off the event loop.
        return await asyncio.to_thread(carrier.inventory.search, query, limit=limit, taken=taken,
                                       exhausted=exhausted)
    except ValueError as exc:
        raise TwilioError(20001, f"Contains: {exc}") from exc


def buy_number(carrier: Carrier, *, phone_number: str | None, area_code: int | None,
               configuration: NumberSettings) -> OwnedNumber:
    chosen = _number_to_buy(carrier, phone_number, area_code)
    owned = OwnedNumber(
        sid=sids.new_sid(sids.PHONE_NUMBER), account_sid=carrier.account_sid,
        phone_number=chosen, friendly_name=friendly_name(chosen),
    )
    _apply(owned, configuration)
    carrier.state.numbers[owned.sid] = owned
    return owned


def get_number(carrier: Carrier, sid: str) -> OwnedNumber:
    owned = carrier.state.numbers.get(sid)
    if owned is None:
        raise TwilioError(20404, f"IncomingPhoneNumber {sid}")
    return owned


def list_numbers(carrier: Carrier, *, phone_number: str | None) -> list[OwnedNumber]:
    return [n for n in carrier.state.numbers.values() if not phone_number or n.phone_number == phone_number]


def update_number(carrier: Carrier, sid: str, changes: NumberSettings) -> OwnedNumber:
    owned = get_number(carrier, sid)
    _apply(owned, changes)
    owned.date_updated = utc_now()
    return owned


def release_number(carrier: Carrier, sid: str) -> None:
    get_number(carrier, sid)
    del carrier.state.numbers[sid]


def _number_to_buy(carrier: Carrier, phone_number: str | None, area_code: int | None) -> str:
    taken, exhausted = carrier.state.owned_phone_numbers(), carrier.state.exhausted_area_codes
    if phone_number:
        if not carrier.inventory.is_for_sale(phone_number, taken=set(), exhausted=set()):
            raise TwilioError(21421, phone_number)
        if not carrier.inventory.is_for_sale(phone_number, taken=taken, exhausted=exhausted):
            raise TwilioError(21422, phone_number)
        return phone_number
    if area_code is None:
        raise TwilioError(21421, "PhoneNumber or AreaCode is required")
    if not carrier.inventory.atlas.is_us_area_code(area_code):
        raise TwilioError(21451, str(area_code))
    offered = carrier.inventory.first_available(area_code, taken=taken, exhausted=exhausted)
    if offered is None:
        raise TwilioError(21452, str(area_code))
    return offered.phone_number


def _apply(owned: OwnedNumber, changes: NumberSettings) -> None:
    for name, value in vars(changes).items():
        if value is not None:
            setattr(owned, name, value.upper() if name.endswith("_method") else value)
