"""A crash between a create at Twilio's Messaging API and recording its SID never leaves a duplicate."""

import contextlib
import uuid

from services.numbers.service_layer import registrations
from tests.numbers.test_registration_checks import a_draft
from tests.support.waiting import eventually


class CrashingAfterEachCreate:
    """The real Messaging API adapter, except that the first brand, service and campaign it creates
    are created at the carrier and then the process "dies" before their SIDs are kept."""

    def __init__(self, real) -> None:
        self.real = real
        self.crashed: list[str] = []

    def __getattr__(self, name):
        return getattr(self.real, name)

    async def _crash_once(self, what: str, sid: str) -> str:
        if what not in self.crashed:
            self.crashed.append(what)
            raise RuntimeError(f"simulated crash right after the carrier created the {what}")
        return sid

    async def register_brand(self, draft):
        return await self._crash_once("brand", await self.real.register_brand(draft))

    async def create_service(self, **kwargs):
        return await self._crash_once("service", await self.real.create_service(**kwargs))

    async def register_campaign(self, **kwargs):
        return await self._crash_once("campaign", await self.real.register_campaign(**kwargs))


async def test_a_crash_after_each_create_finds_the_earlier_object_instead_of_creating_another(numbers, account_id):
    a2p = numbers.service.a2p
    draft = a_draft(customer_profile_bundle_sid="BU" + uuid.uuid4().hex, a2p_profile_bundle_sid="BU" + uuid.uuid4().hex)
    await registrations.save_draft(ports=a2p, account_id=account_id, draft=draft)
    crashing = CrashingAfterEachCreate(a2p.carrier)
    a2p.carrier = crashing  # the periodic review pass uses it too, as a restarted process would

    async def step(*, until):
        with contextlib.suppress(RuntimeError):
            await registrations.advance(ports=a2p, account_id=account_id)
        registration = await a2p.registrations.get(account_id)
        return registration if until(registration) else None

    try:
        with contextlib.suppress(RuntimeError):
            await registrations.submit(ports=a2p, account_id=account_id)
        registration = await eventually(lambda: step(until=lambda r: r.brand_sid), what="brand recorded")
        await numbers.carrier_control.post(f"/sandbox/a2p/brands/{registration.brand_sid}/review", json={"status": "APPROVED"})
        registration = await eventually(lambda: step(until=lambda r: r.campaign_sid), what="campaign recorded")
    finally:
        a2p.carrier = crashing.real

    carrier = (await numbers.carrier_control.get("/sandbox/a2p")).json()
    brands = [b for b in carrier["brands"] if b["customer_profile_bundle_sid"] == draft.customer_profile_bundle_sid]
    name = registrations.service_name(draft.company_name, account_id)
    services = [s for s in carrier["services"] if s["friendly_name"] == name]
    campaigns = [c for c in carrier["campaigns"] if c["messaging_service_sid"] == registration.service_sid]
    assert crashing.crashed == ["brand", "service", "campaign"]
    assert [b["sid"] for b in brands] == [registration.brand_sid]
    assert [s["sid"] for s in services] == [registration.service_sid]
    assert [c["sid"] for c in campaigns] == [registration.campaign_sid]
    assert registration.state == "in_review" and registration.creating is None
