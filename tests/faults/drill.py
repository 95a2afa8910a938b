"""A fault drill through the product's public API: an account with its own texting number, groups
of contacts imported by CSV, a bulk send to one group with a fault in the middle of it, and the
count afterwards at the carrier and in the product."""

import asyncio
import contextlib
import csv
import io
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from pymongo import AsyncMongoClient

from tests.support.waiting import eventually

OWNER_CELL = "+15124742000"
REPLIES_PER_DRILL = 12
WEBHOOK_COPIES = 6


@dataclass
class Outcome:
    """What one drill left behind."""

    fault: str
    texts: int
    lost: int
    doubled: int
    statuses_missing: int
    job_status: str
    replies: int
    replies_stored: int
    replies_doubled: int
    recovery_seconds: float
    drain_seconds: float

    @property
    def clean(self) -> bool:
        return (self.lost, self.doubled, self.statuses_missing, self.replies_doubled) == (0, 0, 0, 0) \
            and self.job_status == "completed" and self.replies_stored == self.replies


@dataclass
class Account:
    gateway: httpx.AsyncClient
    carrier: httpx.AsyncClient
    messaging_db: object
    account_id: str
    our_number: str | None = None  # bought with the first text, in the owner's area code
    groups: dict[str, list[dict]] = field(default_factory=dict)


def _csv_of(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["first_name", "mobile", "groups"])
    writer.writerows([row["first_name"], row["e164"], row["group"]] for row in rows)
    return buffer.getvalue().encode()


def people(group: str, count: int, area_code_offset: int) -> list[dict]:
    """Distinct US cell numbers (737 exchanges 200-999), one person each."""
    return [{
        "first_name": f"Voter{n}", "group": group,
        "e164": f"+1737{200 + (area_code_offset + n // 10_000) % 800:03d}{n % 10_000:04d}",
    } for n in range(count)]


async def open_account(stack_env: dict[str, str], mongo_url: str, password: str) -> Account:
    """Sign up an owner with a 512 cell (the product buys their number with their first text)."""
    gateway = httpx.AsyncClient(base_url=stack_env["GATEWAY_PUBLIC_URL"], timeout=60)
    carrier = httpx.AsyncClient(base_url=stack_env["TWILIO_API_BASE_URL"], timeout=60,
                                auth=(stack_env["CARRIER_ACCOUNT_SID"], stack_env["CARRIER_AUTH_TOKEN"]))
    email = f"drill-{uuid.uuid4().hex[:10]}@example.org"
    signed_up = await gateway.post("/api/accounts", json={
        "account_name": "Fault drill", "name": "Drill Owner", "email": email, "password": password,
        "primary_cell": OWNER_CELL,
    })
    assert signed_up.status_code in (200, 201, 202), signed_up.text
    session = (await gateway.post("/api/auth/login", json={"email": email, "password": password})).json()
    gateway.headers["Authorization"] = f"Bearer {session['access_token']}"

    mongo = AsyncMongoClient(mongo_url, tz_aware=True)
    messaging_db = mongo[stack_env["MESSAGING_DATABASE"]]
    return Account(gateway, carrier, messaging_db, session["user"]["account_id"])


async def _our_number(account: Account) -> str:
    async def bought() -> str | None:
        mine = await account.gateway.get("/api/numbers/mine")
        return mine.json().get("phone_number") if mine.status_code == 200 else None

    account.our_number = account.our_number or await eventually(bought, timeout=60, what="the owner's texting number")
    return account.our_number


async def import_groups(account: Account, groups: dict[str, int]) -> None:
    """One CSV of every group's people, each tagged with its group; waits until messaging knows them all."""
    rows = []
    for offset, (group, count) in enumerate(groups.items()):
        account.groups[group] = people(group, count, offset * 7)
        rows.extend(account.groups[group])
    uploaded = await account.gateway.post("/api/imports", params={"filename": "drill.csv"}, content=_csv_of(rows),
                                          headers={"Content-Type": "text/csv"})
    assert uploaded.status_code == 201, uploaded.text
    job_id = uploaded.json()["id"]
    mapping = {"columns": {"first_name": "first_name", "mobile": "phone:cell", "groups": "tags"}}
    started = await account.gateway.post(f"/api/imports/{job_id}/start", json=mapping)
    assert started.status_code == 200, started.text

    async def imported() -> dict | None:
        job = (await account.gateway.get(f"/api/imports/{job_id}")).json()
        return job if job["status"] == "completed" else None

    job = await eventually(imported, timeout=900, interval=1, what="the drill's contacts to be imported")
    assert (job["created"], job["failed"]) == (len(rows), 0), job

    async def known_to_messaging() -> bool:
        return await account.messaging_db["contacts_view"].count_documents({"account_id": account.account_id}) >= len(rows)

    await eventually(known_to_messaging, timeout=900, interval=1, what="messaging to know every drill contact")


async def _carrier_texts(account: Account, marker: str) -> list[dict]:
    log = (await account.carrier.get("/sandbox/messages")).json()["messages"]
    return [entry for entry in log if entry["body"].startswith(marker)]


async def _job(account: Account, job_id: str) -> dict:
    return (await account.gateway.get(f"/api/bulk-sends/{job_id}")).json()


async def _reply(account: Account, person: dict, body: str) -> None:
    """A reply from `person`, its webhook sent six times over, while whatever is broken is broken."""
    answer = await account.carrier.post("/sandbox/inbound-messages", timeout=900, json={
        "from": person["e164"], "to": account.our_number, "body": body, "copies": WEBHOOK_COPIES,
    })
    assert answer.status_code == 200, answer.text


async def run(account: Account, fault_name: str, group: str, fault: Callable[[], Awaitable[None]],
              *, drain_timeout: float = 900) -> Outcome:
    """Text the group, break something once a fifth of the texts are out, and count what follows."""
    recipients = account.groups[group]
    marker = f"[{fault_name}]"
    await account.carrier.put("/sandbox/status-callback-replays", json={"copies": WEBHOOK_COPIES, "shuffle": True})
    created = await account.gateway.post("/api/bulk-sends", json={
        "body": marker + " Hi {first_name}, the polls are open until 8pm.",
        "selection": {"filter": {"tags_any": [group]}}, "idempotency_key": f"drill-{uuid.uuid4().hex}",
    })
    assert created.status_code == 202, created.text
    job_id = created.json()["job_id"]

    async def a_fifth_out() -> bool:
        return len(await _carrier_texts(account, marker)) >= len(recipients) // 5

    await eventually(a_fifth_out, timeout=600, interval=0.2, what=f"a fifth of the texts of {fault_name}")
    await _our_number(account)
    repliers = recipients[:REPLIES_PER_DRILL]
    replies = [asyncio.create_task(_reply(account, person, f"{marker} reply from {person['first_name']}"))
               for person in repliers]
    broken_at = time.monotonic()
    await fault()
    recovered_at = time.monotonic()

    async def drained() -> dict | None:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            job = await _job(account, job_id)
            if job["status"] == "completed" and job["delivered"] + job["failed"] >= job["total"]:
                return job
        return None

    job = await eventually(drained, timeout=drain_timeout, interval=0.5, what=f"the bulk send of {fault_name} to drain")
    drained_at = time.monotonic()
    await asyncio.gather(*replies)
    return await _count(account, fault_name, marker, recipients, repliers, job, recovered_at - broken_at,
                        drained_at - recovered_at)


async def _count(account: Account, fault_name: str, marker: str, recipients: list[dict], repliers: list[dict],
                 job: dict, recovery: float, drain: float) -> Outcome:
    at_carrier = Counter((entry["to"], entry["body"]) for entry in await _carrier_texts(account, marker))
    sent_to = Counter(to for to, _ in at_carrier.elements())
    wanted = {person["e164"] for person in recipients}

    async def every_reply_stored() -> list[dict]:
        stored = await account.messaging_db["messages"].find(
            {"account_id": account.account_id, "direction": "inbound", "body": {"$regex": f"^\\[{fault_name}\\]"}},
        ).to_list(None)
        return stored if len(stored) >= len(repliers) else []

    with contextlib.suppress(AssertionError):
        await eventually(every_reply_stored, timeout=120, interval=0.5, what=f"the replies of {fault_name}")
    stored = await account.messaging_db["messages"].find(
        {"account_id": account.account_id, "direction": "inbound", "body": {"$regex": f"^\\[{fault_name}\\]"}},
    ).to_list(None)
    per_sid = Counter(message["carrier_sid"] for message in stored)
    return Outcome(
        fault=fault_name, texts=len(recipients),
        lost=len(wanted - set(sent_to)), doubled=sum(count - 1 for count in sent_to.values()),
        statuses_missing=job["total"] - job["delivered"], job_status=job["status"],
        replies=len(repliers), replies_stored=len(per_sid), replies_doubled=sum(c - 1 for c in per_sid.values()),
        recovery_seconds=recovery, drain_seconds=drain,
    )
