"""HELP and INFO get a reply naming the organisation and how to reach it: built from the account's
10DLC registration (kept from numbers' registration.saved), or the account's own text."""

from uuid import uuid4

from services.messaging.domain.help_reply import HELP_REPLY_MAX_CHARS, built_help_reply
from shared.events import Envelope, RegistrationSaved
from tests.messaging.conftest import random_us_number
from tests.support.waiting import eventually

BRAND = {
    "company_name": "Riverside Tenants Union",
    "website": "https://riverside-tenants.example.org",
    "contact_email": "help@riverside-tenants.example.org",
    "contact_phone": "(512) 555-0100",
}


async def save_registration(account, **brand) -> None:
    """The owner saved the registration: numbers announces it, messaging keeps it."""
    saved = RegistrationSaved(registration_id=uuid4().hex, **brand)
    await account.harness.produce(Envelope.wrap(saved, account_id=account.account_id, subject=account.account_id))

    async def kept():
        settings = await account.harness.store.account_settings(account.account_id)
        return (settings.get("registration_brand") or {}).get("company_name") == brand["company_name"]

    await eventually(kept, timeout=30, what="the registered brand in messaging's settings")


async def text_help(account, our_number: str, their_number: str, word: str = "HELP") -> str:
    """A person texts `word` through the carrier; the body of the one reply the carrier delivers to them."""
    before = len(await account.harness.carrier_log(their_number))
    answer = await account.harness.carrier.post("/sandbox/inbound-messages", json={"from": their_number, "to": our_number, "body": word})
    assert answer.status_code == 200, answer.text

    async def replied():
        log = await account.harness.carrier_log(their_number)
        return log if len(log) > before else None

    log = await eventually(replied, timeout=20, what=f"a reply to {word}")
    assert len(log) == before + 1
    return log[-1]["body"]


async def test_help_names_the_registered_brand_and_how_to_reach_it_until_the_account_writes_its_own(messaging, account):
    our_number = await account.provision_number(with_inbound=True)
    person = random_us_number()
    await save_registration(account, **BRAND)

    built = await text_help(account, our_number, person)

    assert built == (
        "Riverside Tenants Union: for help, email help@riverside-tenants.example.org, call (512) 555-0100 or visit "
        "https://riverside-tenants.example.org. Msg & data rates may apply. Reply STOP to opt out."
    )
    shown = (await account.get("/v1/messages/settings")).json()
    assert shown["help_reply_sent"] == built and shown["help_reply"] is None

    await save_registration(account, **{**BRAND, "company_name": "Riverside Tenants", "contact_phone": ""})
    assert (await text_help(account, our_number, person, "info")).startswith(
        "Riverside Tenants: for help, email help@riverside-tenants.example.org or visit https://riverside-tenants.example.org."
    )

    edited = "Riverside Tenants Union: call Sam at (512) 555-0199 weekdays. Reply STOP to opt out."
    changed = await messaging.api.put("/v1/messages/settings", json={"help_reply": edited}, headers=account.headers)
    assert changed.status_code == 200 and changed.json()["help_reply_sent"] == edited
    assert await text_help(account, our_number, person) == edited

    back = await messaging.api.put("/v1/messages/settings", json={"help_reply": None}, headers=account.headers)
    assert back.json()["help_reply_sent"].startswith("Riverside Tenants: for help")


async def test_a_help_text_too_long_or_blank_is_refused_and_nothing_changes(messaging, account):
    kept = "Pat's campaign: email pat@example.org. Reply STOP to opt out."
    await messaging.api.put("/v1/messages/settings", json={"help_reply": kept}, headers=account.headers)

    for bad in ("x" * (HELP_REPLY_MAX_CHARS + 1), "   "):
        refused = await messaging.api.put("/v1/messages/settings", json={"help_reply": bad}, headers=account.headers)
        assert refused.status_code == 422, refused.text
        assert [error["field"] for error in refused.json()["errors"]] == ["body.help_reply"]

    assert (await account.get("/v1/messages/settings")).json()["help_reply"] == kept


async def test_without_a_registration_help_gets_the_products_reply(messaging, account):
    our_number = await account.provision_number(with_inbound=True)

    assert await text_help(account, our_number, random_us_number()) == messaging.settings.default_help_reply


def test_a_built_reply_stays_within_its_bound_dropping_the_longest_ways_last_named():
    long_site = "https://example.org/" + "a" * 300
    built = built_help_reply({**BRAND, "website": long_site})

    assert len(built) <= HELP_REPLY_MAX_CHARS
    assert built.startswith("Riverside Tenants Union: for help, email help@riverside-tenants.example.org or call (512) 555-0100.")
    assert built_help_reply({"company_name": "  "}) is None
    assert built_help_reply({"company_name": "X" * 500}) == "X" * 80 + ". Msg & data rates may apply. Reply STOP to opt out."
