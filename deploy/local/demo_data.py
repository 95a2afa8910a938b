"""Loads a demo account with demo contacts through the gateway's public API (idempotent), and,
where the sandbox carrier is running (TWILIO_API_BASE_URL, CARRIER_ACCOUNT_SID, CARRIER_AUTH_TOKEN
in the environment, as the run command exports them), a first conversation: a text to Avery Johnson
and her reply.

    python deploy/local/demo_data.py http://127.0.0.1:8000
"""

import os
import sys
import time

import httpx

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "demo-password-1"

PEOPLE = [
    ("Avery", "Johnson", "(512) 555-0101", "cell", ["Volunteer"]),
    ("Blake", "Martinez", "(512) 555-0102", "cell", ["Donor"]),
    ("Casey", "Nguyen", "(737) 555-0103", "cell", ["Volunteer", "Precinct 12"]),
    ("Devon", "Patel", "(512) 555-0104", "home", []),
    ("Emerson", "Garcia", "(210) 555-0105", "cell", ["Precinct 12"]),
    ("Finley", "Brown", "(512) 555-0106", "cell", ["Do Not Contact"]),
    ("Gray", "Wilson", "(713) 555-0107", "cell", ["Donor"]),
    ("Harper", "Lee", "(512) 555-0108", "work", []),
    ("Indigo", "Clark", "(214) 555-0109", "cell", ["Volunteer"]),
    ("Jules", "Lewis", "(512) 555-0110", "cell", []),
    ("Kai", "Walker", "(737) 555-0111", "cell", ["Precinct 7"]),
    ("Logan", "Hall", "(512) 555-0112", "landline", []),
]


def _log_in(client: httpx.Client) -> httpx.Response:
    return client.post("/api/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})


def _session(client: httpx.Client) -> str:
    login = _log_in(client)
    if login.status_code != 200:
        client.post("/api/accounts", json={
            "account_name": "Demo Campaign",
            "name": "Demo Organiser",
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "primary_cell": "(512) 474-2000",
        }).raise_for_status()
        login = _log_in(client)
        login.raise_for_status()
    return login.json()["access_token"]


def _has_contacts(client: httpx.Client) -> bool:
    listed = client.get("/api/contacts", params={"limit": 1})
    listed.raise_for_status()
    return bool(listed.json().get("items"))


def load(gateway_url: str) -> None:
    with httpx.Client(base_url=gateway_url, timeout=30) as client:
        client.headers["Authorization"] = f"Bearer {_session(client)}"
        if _has_contacts(client):
            print("demo data: contacts already loaded", file=sys.stderr)
        else:
            _load_contacts(client)
        if client.get("/api/conversations").json()["conversations"]:
            print("demo data: conversation already there", file=sys.stderr)
        else:
            _first_conversation(client)


def _load_contacts(client: httpx.Client) -> None:
    for first, last, number, phone_type, tags in PEOPLE:
        created = client.post("/api/contacts", json={
            "first_name": first, "last_name": last,
            "emails": [f"{first.lower()}.{last.lower()}@example.org"],
            "phones": [{"number": number, "type": phone_type, "primary": True}],
        })
        created.raise_for_status()
        for tag in tags:
            client.post(f"/api/contacts/{created.json()['id']}/tags", json={"tag": tag}).raise_for_status()
    print(f"demo data: {len(PEOPLE)} contacts loaded", file=sys.stderr)


FIRST_TEXT = "Hi {first_name|there}, it's Demo Organiser with the Demo Campaign. Can you help knock doors Saturday?"
FIRST_REPLY = "Yes! Count me in"


def _texting_number(client: httpx.Client, *, seconds: float = 60) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mine = client.get("/api/numbers/mine")
        if mine.status_code == 200 and mine.json().get("phone_number"):
            return mine.json()["phone_number"]
        time.sleep(0.5)
    return None


def _first_conversation(client: httpx.Client) -> None:
    """The demo user gets their number, texts Avery, and she replies through the sandbox carrier."""
    carrier_url = os.environ.get("TWILIO_API_BASE_URL")
    credentials = (os.environ.get("CARRIER_ACCOUNT_SID"), os.environ.get("CARRIER_AUTH_TOKEN"))
    if not (carrier_url and all(credentials)):
        print("demo data: no sandbox carrier; no demo conversation", file=sys.stderr)
        return
    client.post("/api/numbers/mine").raise_for_status()
    avery = client.get("/api/contacts", params={"q": "Avery Johnson", "limit": 1}).json()["items"][0]
    client.post("/api/messages", json={"contact_id": avery["id"], "body": FIRST_TEXT}).raise_for_status()
    our_number = _texting_number(client)
    if our_number is None:
        print("demo data: the texting number is still being bought; no demo reply", file=sys.stderr)
        return
    with httpx.Client(base_url=carrier_url, auth=credentials, timeout=30) as carrier:
        carrier.post("/sandbox/inbound-messages", json={
            "from": avery["phones"][0]["e164"], "to": our_number, "body": FIRST_REPLY,
        }).raise_for_status()
    print("demo data: Avery Johnson was texted and replied", file=sys.stderr)


if __name__ == "__main__":
    load(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
