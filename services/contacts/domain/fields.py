"""Rules for the plain fields of a contact: names, emails, address, custom fields."""

import math
import re
from functools import lru_cache
from typing import Any

from email_validator import EmailNotValidError, validate_email

from services.contacts.domain.errors import InvalidContact, Problem

MAX_NAME_LENGTH = 100
MAX_CUSTOM_FIELDS = 100
MAX_CUSTOM_FIELD_NAME = 64
_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")
# An address whose local part is plain dot-atom ASCII: valid exactly when its domain is,
# and the domain's verdict holds for every address at it.
_PLAIN_ADDRESS = re.compile(r"([A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)@([A-Za-z0-9.-]+)")
MAX_EMAIL_LENGTH = 254
MAX_LOCAL_PART_LENGTH = 64

MAX_CUSTOM_VALUE_LENGTH = 1000
# What the store keeps exactly: BSON's 64-bit integers and finite doubles.
MIN_CUSTOM_INTEGER, MAX_CUSTOM_INTEGER = -(2**63), 2**63 - 1

CustomValue = str | int | float | bool | None


def clean_name(raw: str | None) -> str:
    return " ".join((raw or "").split())


def require_a_name(first_name: str, last_name: str) -> None:
    if not first_name and not last_name:
        raise InvalidContact(
            [
                Problem("first_name", "a contact needs a first name or a last name"),
                Problem("last_name", "a contact needs a first name or a last name"),
            ]
        )


def clean_emails(raw: list[str] | None) -> list[str]:
    """Validated (syntax only, no DNS), normalised, duplicates dropped, order kept."""
    emails: list[str] = []
    problems = []
    for index, value in enumerate(raw or []):
        try:
            normalized = normalize_email((value or "").strip())
        except EmailNotValidError as error:
            problems.append(Problem(f"emails.{index}", f"'{value}' is not a valid email address: {error}"))
            continue
        if normalized.casefold() not in (existing.casefold() for existing in emails):
            emails.append(normalized)
    if problems:
        raise InvalidContact(problems)
    return emails


def normalize_email(address: str) -> str:
    """The address as email-validator normalises it (syntax only, no DNS); raises its
    EmailNotValidError. A plain address reuses its domain's verdict, the costly part."""
    plain = _PLAIN_ADDRESS.fullmatch(address)
    if plain and len(plain[1]) <= MAX_LOCAL_PART_LENGTH and len(address) <= MAX_EMAIL_LENGTH:
        domain = _normalized_domain(plain[2])
        if domain is not None:
            return f"{plain[1]}@{domain}"
    return validate_email(address, check_deliverability=False).normalized


@lru_cache(maxsize=4096)
def _normalized_domain(domain: str) -> str | None:
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


def clean_address(raw: dict[str, str | None] | None) -> dict[str, str] | None:
    """Street, city, state, zip; blanks dropped; a US ZIP (12345 or 12345-6789) when given."""
    if not raw:
        return None
    address = {key: " ".join(value.split()) for key, value in raw.items() if value and value.strip()}
    if "state" in address:
        address["state"] = address["state"].upper() if len(address["state"]) == 2 else address["state"]
    zip_code = address.get("zip")
    if zip_code is not None:
        if not _ZIP.match(zip_code):
            raise InvalidContact.of("address.zip", f"'{zip_code}' is not a ZIP code (12345 or 12345-6789)")
        if len(zip_code) == 9:
            address["zip"] = f"{zip_code[:5]}-{zip_code[5:]}"
    return address or None


def _check_custom_field_name(name: str) -> str | None:
    if not name or len(name) > MAX_CUSTOM_FIELD_NAME:
        return f"custom field names are 1 to {MAX_CUSTOM_FIELD_NAME} characters"
    if name.startswith("$") or "." in name or "\x00" in name:
        return "custom field names may not start with '$' or contain '.'"
    return None


def custom_value_problem(value: Any) -> str | None:
    """Why a custom field value cannot be stored as it is, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) and not MIN_CUSTOM_INTEGER <= value <= MAX_CUSTOM_INTEGER:
        return "whole numbers are at most 19 digits (between -2^63 and 2^63-1)"
    if isinstance(value, float) and not math.isfinite(value):
        return "numbers must be finite (not NaN or infinite, nor too large for a double)"
    if isinstance(value, str) and len(value) > MAX_CUSTOM_VALUE_LENGTH:
        return f"text values are at most {MAX_CUSTOM_VALUE_LENGTH} characters"
    if not isinstance(value, int | float | str):
        return "a custom field value is text, a number, true or false"
    return None


def merge_custom_fields(current: dict[str, Any], patch: dict[str, CustomValue] | None) -> dict[str, Any]:
    """JSON merge-patch: given keys are set, a null value removes the key."""
    merged = dict(current)
    problems = []
    for name, value in (patch or {}).items():
        problem = _check_custom_field_name(name) or custom_value_problem(value)
        if problem:
            problems.append(Problem(f"custom_fields.{name}", problem))
        elif value is None:
            merged.pop(name, None)
        else:
            merged[name] = value.strip() if isinstance(value, str) else value
    if problems:
        raise InvalidContact(problems)
    if len(merged) > MAX_CUSTOM_FIELDS:
        raise InvalidContact.of("custom_fields", f"at most {MAX_CUSTOM_FIELDS} custom fields per contact")
    return merged
