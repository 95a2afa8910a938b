"""Loads a demo account with demo contacts through the gateway's public API (idempotent).

    python deploy/local/demo_data.py http://127.0.0.1:8000
"""

import sys

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
            print("demo data: already loaded", file=sys.stderr)
            return
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


if __name__ == "__main__":
    load(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
