"""The grid on the real FerretDB: every filter alone and combined, the orders, cursors,
the total count, "select all matching" and bulk tagging of a selection."""

from datetime import UTC, datetime, timedelta

import pytest

from shared import topics

pytestmark = pytest.mark.usefixtures("contacts_runtime")

PEOPLE = [
    # first, last, email, phones [(number, type)], city, state, zip, tags, owner
    ("Ada", "Lovelace", "ada@example.org", [("2025550101", "cell")], "Washington", "DC", "20001", ["Volunteer"], "user-1"),
    ("Alan", "Turing", "alan@example.org", [("2025550102", "home")], "Austin", "TX", "78701-1234", ["Donor"], "user-2"),
    ("Grace", "Hopper", None, [("5125550103", "cell"), ("5125550113", "work")], "Austin", "TX", "78702", ["Volunteer", "Donor"], "user-1"),
    ("Anita", "Borg", "anita@example.org", [], "Dallas", "TX", "75201", [], "user-2"),
    ("Adele", "Goldberg", None, [("7135550105", "landline")], "Houston", "TX", "77001", ["Do Not Contact"], "user-1"),
]


async def seed(http, headers) -> dict[str, dict]:
    made = {}
    for first, last, email, phones, city, state, zip_code, tags, owner in PEOPLE:
        body = {
            "first_name": first, "last_name": last, "emails": [email] if email else [],
            "phones": [{"number": number, "type": kind} for number, kind in phones],
            "address": {"city": city, "state": state, "zip": zip_code}, "tags": tags, "owner_user_id": owner,
        }
        response = await http.post("/v1/contacts", json=body, headers=headers)
        assert response.status_code == 201, response.text
        made[first] = response.json()
    return made


async def firsts(http, headers, **params) -> list[str]:
    response = await http.get("/v1/contacts", params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [item["first_name"] for item in response.json()["items"]]


async def total(http, headers, **params) -> int:
    response = await http.get("/v1/contacts/count", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["total"]


async def test_every_filter_alone_and_combined(http, account, as_user):
    headers = as_user(account)
    made = await seed(http, headers)
    wrong = made["Grace"]["phones"][1]["phone_id"]
    assert (await http.post(f"/v1/contacts/{made['Grace']['id']}/tags", headers=headers,
                            json={"tag": "Wrong Number", "phone_id": wrong})).status_code == 200
    opt_in = {"tag": "Opt-In", "phone_id": made["Ada"]["phones"][0]["phone_id"], "consent": {"method": "web form"}}
    assert (await http.post(f"/v1/contacts/{made['Ada']['id']}/tags", json=opt_in, headers=headers)).status_code == 200

    expectations = [
        ({"q": "a"}, ["Anita", "Adele", "Ada", "Alan"]),
        ({"q": "gold"}, ["Adele"]),
        ({"q": "ALAN@example.org"}, ["Alan"]),
        ({"q": "(512) 555-01"}, ["Grace"]),
        ({"q": "+1 202-555-0102"}, ["Alan"]),
        ({"tag": "volunteer"}, ["Grace", "Ada"]),
        ({"tags_any": ["Volunteer", "Donor"]}, ["Grace", "Ada", "Alan"]),
        ({"tags_all": ["Volunteer", "Donor"]}, ["Grace"]),
        ({"tags_none": ["Volunteer", "Donor"]}, ["Anita", "Adele"]),
        ({"has_cell": "true"}, ["Grace", "Ada"]),
        ({"has_cell": "false"}, ["Anita", "Adele", "Alan"]),
        ({"dnc": "true"}, ["Adele"]),
        ({"dnc": "false"}, ["Anita", "Grace", "Ada", "Alan"]),
        ({"opted_in": "true"}, ["Ada"]),
        ({"wrong_number": "true"}, ["Grace"]),
        ({"city": "austin"}, ["Grace", "Alan"]),
        ({"state": "tx"}, ["Anita", "Adele", "Grace", "Alan"]),
        ({"zip": "78701"}, ["Alan"]),
        ({"owner": "user-1"}, ["Adele", "Grace", "Ada"]),
        ({"state": "TX", "tag": "Donor"}, ["Grace", "Alan"]),
        ({"state": "TX", "tag": "Donor", "has_cell": "true", "q": "hop"}, ["Grace"]),
        ({"tags_any": ["Donor"], "tags_none": ["Volunteer"], "city": "Austin"}, ["Alan"]),
    ]
    for params, expected in expectations:
        assert await firsts(http, headers, **params) == expected, params
        assert await total(http, headers, **params) == len(expected), params


async def test_date_ranges_and_last_contacted(http, producer, account, as_user):
    headers = as_user(account)
    made = await seed(http, headers)
    created = sorted(contact["created_at"] for contact in made.values())
    assert await firsts(http, headers, created_from=created[1], created_to=created[3], sort="created") == ["Alan", "Grace", "Anita"]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert await firsts(http, headers, created_from=future) == []
    assert await firsts(http, headers, last_contacted_from="2020-01-01T00:00:00Z") == [], "nobody contacted yet"
    bad = await http.get("/v1/contacts", params={"created_from": future, "created_to": created[0]}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.created_from"


async def test_orders_and_cursors_are_stable(http, account, as_user):
    headers = as_user(account)
    await seed(http, headers)
    for sort, expected in [
        ("last_name", ["Anita", "Adele", "Grace", "Ada", "Alan"]),
        ("first_name", ["Ada", "Adele", "Alan", "Anita", "Grace"]),
        ("created", ["Ada", "Alan", "Grace", "Anita", "Adele"]),
        ("-created", ["Adele", "Anita", "Grace", "Alan", "Ada"]),
    ]:
        seen, cursor = [], None
        while True:
            params = {"sort": sort, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await http.get("/v1/contacts", params=params, headers=headers)).json()
            seen += [item["first_name"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, sort
    first_page = (await http.get("/v1/contacts", params={"sort": "created", "limit": 2}, headers=headers)).json()
    mixed = await http.get("/v1/contacts", params={"sort": "first_name", "cursor": first_page["next_cursor"]}, headers=headers)
    assert mixed.status_code == 422 and "sort=created" in mixed.json()["errors"][0]["problem"]
    unknown = await http.get("/v1/contacts", params={"colour": "red", "sort": "shoe_size"}, headers=headers)
    assert unknown.status_code == 422
    assert {item["field"] for item in unknown.json()["errors"]} == {"query.colour"}
    bad_sort = await http.get("/v1/contacts", params={"sort": "shoe_size"}, headers=headers)
    assert bad_sort.status_code == 422 and bad_sort.json()["errors"][0]["field"] == "query.sort"


async def test_select_all_matching_pages_ids_and_counts(http, account, as_user):
    headers = as_user(account)
    made = await seed(http, headers)
    texas = sorted(contact["id"] for name, contact in made.items() if name != "Ada")
    ids, after = [], None
    while True:
        response = await http.post("/v1/contacts/selection/ids", json={"filter": {"state": "TX"}, "after": after, "limit": 3},
                                   headers=headers)
        assert response.status_code == 200, response.text
        ids += response.json()["ids"]
        after = response.json()["next"]
        if after is None:
            break
    assert ids == texas
    count = await http.post("/v1/contacts/selection/count", json={"filter": {"state": "TX", "tags_any": ["Donor"]}}, headers=headers)
    assert count.json() == {"total": 2}
    bad = await http.post("/v1/contacts/selection/ids", json={"filter": {"stat": "TX"}, "limit": 10}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.filter.stat"
    too_many = await http.post("/v1/contacts/selection/ids", json={"filter": {}, "limit": 5001}, headers=headers)
    assert too_many.status_code == 422
    other = as_user(account + "-other")
    assert (await http.post("/v1/contacts/selection/ids", json={"filter": {}}, headers=other)).json() == {"ids": [], "next": None}


async def test_bulk_tag_and_untag_by_filter_or_ids(http, tap, account, as_user):
    headers = as_user(account, "user-9")
    made = await seed(http, headers)
    tagged = await http.post("/v1/contacts/bulk/tag", json={"tag": "Texas", "filter": {"state": "TX"}}, headers=headers)
    assert tagged.json() == {"matched": 4, "changed": 4, "not_found": [], "at_tag_limit": 0}
    again = await http.post("/v1/contacts/bulk/tag", json={"tag": "texas", "filter": {"state": "TX"}}, headers=headers)
    assert again.json()["changed"] == 0, "tagging twice changes nothing"
    events = await tap.wait_for(account, topics.CONTACT_TAGGED, lambda e: e.data.tag == "Texas", count=4)
    assert {event.subject for event in events} == {c["id"] for n, c in made.items() if n != "Ada"}
    assert all(event.data.by_user_id == "user-9" and "Texas" in event.data.contact.tags for event in events)

    other_account_contact = (await http.post("/v1/contacts", json={"first_name": "Eve"}, headers=as_user(account + "-x"))).json()
    untagged = await http.post("/v1/contacts/bulk/untag", headers=headers, json={
        "tag": "Texas", "contact_ids": [made["Alan"]["id"], made["Ada"]["id"], other_account_contact["id"]]})
    assert untagged.json() == {"matched": 2, "changed": 1, "not_found": [other_account_contact["id"]], "at_tag_limit": 0}
    assert await firsts(http, headers, tag="Texas") == ["Anita", "Adele", "Grace"]
    dnc = await http.post("/v1/contacts/bulk/tag", json={"tag": "DNC", "filter": {"tag": "Texas"}}, headers=headers)
    assert dnc.json()["changed"] == 2 and await firsts(http, headers, dnc="true") == ["Anita", "Adele", "Grace"]
    phone_tag = await http.post("/v1/contacts/bulk/tag", json={"tag": "Opt-In", "filter": {}}, headers=headers)
    assert phone_tag.status_code == 422
    both = await http.post("/v1/contacts/bulk/tag", json={"tag": "X", "filter": {}, "contact_ids": []}, headers=headers)
    assert both.status_code == 422
