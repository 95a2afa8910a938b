"""A contact's phones: parsing what people type into E.164, keeping each phone's
identity and consent across edits, and the one-primary rule."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from services.contacts.domain.errors import InvalidContact, Problem
from shared.events.contacts import OptSource, PhoneSnapshot, PhoneStatus, PhoneType
from shared.phones import InvalidPhoneNumber, ParsedPhone, parse_phone

MAX_PHONES = 20


class ConsentRecord(BaseModel):
    """Who recorded the person's consent to be texted, when and how.
    `by_user_id` is None when the person gave it themselves by texting START."""

    by_user_id: str | None
    at: datetime
    method: str
    note: str | None = None
    keyword: str | None = None


class OptOutRecord(BaseModel):
    source: OptSource
    at: datetime
    keyword: str | None = None


class Phone(BaseModel):
    phone_id: str
    e164: str
    type: PhoneType = "unknown"
    primary: bool = False
    status: PhoneStatus = "active"
    wrong_number: bool = False
    opted_out: bool = False
    opted_in: bool = False
    opt_in: ConsentRecord | None = None
    opt_out: OptOutRecord | None = None
    # When the person (keyword) or the carrier last changed consent; older
    # keyword events arriving late must not undo a newer one.
    consent_changed_at: datetime | None = None
    area_code: str | None = None
    region: str | None = None
    time_zone: str | None = None
    country: str | None = None

    def snapshot(self) -> PhoneSnapshot:
        return PhoneSnapshot(
            phone_id=self.phone_id,
            e164=self.e164,
            type=self.type,
            primary=self.primary,
            status=self.status,
            wrong_number=self.wrong_number,
            opted_out=self.opted_out,
            opted_in=self.opted_in,
            area_code=self.area_code,
            region=self.region,
            time_zone=self.time_zone,
        )

    def digits(self) -> str:
        return self.e164.lstrip("+")


@dataclass(frozen=True)
class PhoneInput:
    """A phone as a person enters it."""

    number: str
    type: PhoneType = "unknown"
    primary: bool = False
    status: PhoneStatus | None = None


@dataclass(frozen=True)
class ParsedPhoneInput:
    entered: PhoneInput
    parsed: ParsedPhone


def parse_phone_inputs(inputs: list[PhoneInput], *, region: str, field: str = "phones") -> list[ParsedPhoneInput]:
    """Every number to E.164, or one InvalidContact naming each bad entry."""
    problems: list[Problem] = []
    parsed: list[ParsedPhoneInput] = []
    first_index_of: dict[str, int] = {}
    if len(inputs) > MAX_PHONES:
        raise InvalidContact.of(field, f"at most {MAX_PHONES} phones per contact")
    for index, entered in enumerate(inputs):
        try:
            phone = parse_phone(entered.number, default_region=region)
        except InvalidPhoneNumber as error:
            problems.append(Problem(f"{field}.{index}.number", str(error)))
            continue
        if phone.e164 in first_index_of:
            problems.append(
                Problem(f"{field}.{index}.number", f"{phone.e164} is already {field}.{first_index_of[phone.e164]}")
            )
            continue
        first_index_of[phone.e164] = index
        parsed.append(ParsedPhoneInput(entered, phone))
    if sum(1 for entered in inputs if entered.primary) > 1:
        problems.append(Problem(field, "only one phone can be primary"))
    if problems:
        raise InvalidContact(problems)
    return parsed


def reconcile_phones(
    existing: list[Phone],
    entered: list[ParsedPhoneInput],
    *,
    opted_out: dict[str, OptOutRecord],
    new_id: Callable[[], str],
) -> list[Phone]:
    """The new phone list (replace-list semantics). A number already on the contact
    keeps its phone_id and its flags (wrong number, consent); a new number starts
    clean unless the person opted out of this account by that number before."""
    by_number = {phone.e164: phone for phone in existing}
    phones = []
    for item in entered:
        kept = by_number.get(item.parsed.e164)
        if kept is not None:
            phone = kept.model_copy(deep=True)
        else:
            phone = _new_phone(item.parsed, new_id(), opted_out.get(item.parsed.e164))
        phone.type = item.entered.type
        phone.primary = item.entered.primary
        if item.entered.status is not None:
            phone.status = item.entered.status
        phones.append(phone)
    return with_one_primary(phones, previous_primary=next((p.e164 for p in existing if p.primary), None))


def _new_phone(parsed: ParsedPhone, phone_id: str, opt_out: OptOutRecord | None) -> Phone:
    return Phone(
        phone_id=phone_id,
        e164=parsed.e164,
        area_code=parsed.area_code,
        region=parsed.region,
        time_zone=parsed.time_zone,
        country=parsed.country,
        opted_out=opt_out is not None,
        opt_out=opt_out,
        consent_changed_at=opt_out.at if opt_out else None,
    )


def with_one_primary(phones: list[Phone], *, previous_primary: str | None = None) -> list[Phone]:
    """Exactly one primary when there are phones: the one marked, else the one that
    was primary before, else the first."""
    if not phones or any(phone.primary for phone in phones):
        return phones
    chosen = next((phone for phone in phones if phone.e164 == previous_primary), phones[0])
    chosen.primary = True
    return phones
