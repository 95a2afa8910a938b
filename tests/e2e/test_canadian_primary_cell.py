"""A user whose primary cell is Canadian: no US number is for sale in 604, so the number is bought
from the country search, and the user's first text goes out from it."""

from tests.e2e.test_first_text import create_contact, sign_up
from tests.support.waiting import eventually

CANADIAN_CELL = "+1 604 688 1234"


async def test_a_canadian_primary_cell_gets_a_number_by_country_fallback_and_the_first_text_goes(gateway, carrier):
    await sign_up(gateway, primary_cell=CANADIAN_CELL)
    contact = await create_contact(gateway, "(512) 555-0177")

    sent = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": "Hello from Vancouver"})
    assert sent.status_code == 202, sent.text
    [message] = sent.json()["messages"]

    async def delivered():
        current = (await gateway.get(f"/api/messages/{message['message_id']}")).json()
        return current if current["status"] == "delivered" else None

    our_number = (await eventually(delivered, timeout=90, what="the first text to be delivered"))["from_number"]
    mine = (await gateway.get("/api/numbers/mine")).json()
    assert (mine["phone_number"], mine["state"]) == (our_number, "active")
    carrier_log = (await carrier.get("/sandbox/messages", params={"to": "+15125550177"})).json()["messages"]
    assert [entry["body"] for entry in carrier_log if entry["from"] == our_number] == ["Hello from Vancouver"]
    notifications = (await gateway.get("/api/notifications")).json()["items"]
    assert not [n for n in notifications if n["kind"] == "number_purchase_failed"]
