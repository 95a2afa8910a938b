"""The contacts HTTP API on the real FerretDB, its events read back from the real Kafka."""

import pytest

from shared import topics

pytestmark = pytest.mark.usefixtures("contacts_runtime")

ADA = {"first_name": "Ada", "last_name": "Lovelace", "phones": [{"number": "(202) 555-0123", "type": "cell"}]}


async def create(http, headers, body=None, **changes):
    response = await http.post("/v1/contacts", json={**(body or ADA), **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {item["field"]: item["problem"] for item in response.json()["errors"]}


async def test_create_normalises_numbers_and_publishes_the_snapshot_keyed_by_contact(http, tap, account, as_user):
    body = {
        "first_name": " Ada ",
        "last_name": "Lovelace",
        "emails": ["Ada@Example.com"],
        "address": {"street": "12 St James's Sq", "city": "London", "state": "dc", "zip": "20001"},
        "phones": [
            {"number": "(202) 555-0123", "type": "cell"},
            {"number": "+1 415.555.2671", "type": "home", "primary": True},
            {"number": "1-617-555-1234", "type": "work"},
            {"number": "2125550000"},
        ],
        "tags": ["Volunteer", "do not contact"],
        "custom_fields": {"ward": 3},
        "notes": "met at the fair",
    }
    contact = await create(http, as_user(account, "user-7"), body)
    assert [phone["e164"] for phone in contact["phones"]] == ["+12025550123", "+14155552671", "+16175551234", "+12125550000"]
    assert [phone["primary"] for phone in contact["phones"]] == [False, True, False, False]
    assert contact["phones"][0]["area_code"] == "202" and contact["phones"][1]["time_zone"] == "America/Los_Angeles"
    assert contact["phones"][3]["type"] == "unknown"
    assert contact["first_name"] == "Ada" and contact["emails"] == ["Ada@example.com"] and contact["address"]["state"] == "DC"
    assert contact["tags"] == ["Do Not Contact", "Volunteer"] and contact["dnc"] is True
    assert contact["revision"] == 1 and contact["owner_user_id"] == "user-7"
    assert [entry["kind"] for entry in contact["timeline"]] == ["created"]

    [event] = await tap.wait_for(account, topics.CONTACT_CREATED)
    assert event.subject == contact["id"] and event.data.contact.contact_id == contact["id"]
    assert event.data.contact.revision == 1 and event.data.contact.dnc
    assert [phone.phone_id for phone in event.data.contact.phones] == [phone["phone_id"] for phone in contact["phones"]]
    [(key, _)] = tap.keys_of(account)
    assert key == contact["id"].encode()

    fetched = await http.get(f"/v1/contacts/{contact['id']}", headers=as_user(account))
    assert fetched.status_code == 200 and fetched.json() == contact


async def test_bad_phones_are_refused_naming_the_field_and_nothing_is_written(http, tap, account, as_user):
    body = {"first_name": "Ada", "phones": [{"number": "2025550123"}, {"number": "12345"}, {"number": "call me"}]}
    response = await http.post("/v1/contacts", json=body, headers=as_user(account))
    found = problems(response)
    assert set(found) == {"body.phones.1.number", "body.phones.2.number"}
    assert "'12345' is not a valid phone number" in found["body.phones.1.number"]
    assert "not a phone number" in found["body.phones.2.number"]

    duplicate = {"first_name": "Ada", "phones": [{"number": "2025550123"}, {"number": "+1 (202) 555-0123"}]}
    assert "body.phones.1.number" in problems(await http.post("/v1/contacts", json=duplicate, headers=as_user(account)))

    listed = await http.get("/v1/contacts", headers=as_user(account))
    assert listed.json()["items"] == []
    await tap.caught_up()
    assert tap.of(account) == []


async def test_other_bad_input_gets_a_clear_422(http, account, as_user):
    headers = as_user(account)
    no_name = await http.post("/v1/contacts", json={"first_name": " ", "phones": []}, headers=headers)
    assert set(problems(no_name)) == {"body.first_name", "body.last_name"}
    bad_email = await http.post("/v1/contacts", json={"first_name": "A", "emails": ["a@b.c", "nope"]}, headers=headers)
    assert set(problems(bad_email)) == {"body.emails.1"}
    bad_type = await http.post("/v1/contacts", json={"first_name": "A", "phones": [{"number": "2025550123", "type": "pager"}]}, headers=headers)
    assert set(problems(bad_type)) == {"body.phones.0.type"}
    unknown_field = await http.post("/v1/contacts", json={"first_name": "A", "shoe_size": 9}, headers=headers)
    assert set(problems(unknown_field)) == {"body.shoe_size"}
    malformed = await http.post(
        "/v1/contacts", content=b'{"first_name": "Ada",', headers={**headers, "content-type": "application/json"}
    )
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["problem"].startswith("JSON decode error")
    assert (await http.get("/v1/contacts", headers=headers)).json()["items"] == []


async def test_calls_without_a_valid_caller_token_are_refused(http):
    assert (await http.get("/v1/contacts")).status_code == 401
    assert (await http.get("/v1/contacts", headers={"X-Caller-Token": "forged"})).status_code == 401


async def test_patch_changes_only_what_is_sent_and_keeps_phone_identity(http, tap, account, as_user):
    headers = as_user(account)
    contact = await create(http, headers, phones=[{"number": "2025550123", "type": "cell"}, {"number": "4155552671"}])
    kept_id = contact["phones"][1]["phone_id"]
    await http.post(f"/v1/contacts/{contact['id']}/tags", json={"tag": "Wrong Number", "phone_id": kept_id}, headers=headers)

    response = await http.patch(
        f"/v1/contacts/{contact['id']}",
        json={
            "first_name": "Augusta Ada",
            "phones": [{"number": "+1 415 555 2671", "type": "home"}, {"number": "617.555.1234", "type": "cell"}],
            "custom_fields": {"ward": 5},
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["first_name"] == "Augusta Ada" and updated["last_name"] == "Lovelace"
    assert updated["phones"][0]["phone_id"] == kept_id and updated["phones"][0]["wrong_number"]
    assert updated["phones"][0]["primary"] and updated["phones"][1]["e164"] == "+16175551234"
    assert updated["revision"] == 3

    [event] = await tap.wait_for(account, topics.CONTACT_UPDATED)
    assert event.data.changed == ["first_name", "phones", "custom_fields"]
    assert event.data.contact.revision == 3 and event.subject == contact["id"]

    nothing = await http.patch(f"/v1/contacts/{contact['id']}", json={"first_name": "Augusta Ada"}, headers=headers)
    assert nothing.json()["revision"] == 3
    stale = await http.patch(f"/v1/contacts/{contact['id']}", json={"notes": "x", "expected_revision": 2}, headers=headers)
    assert stale.status_code == 409 and stale.json()["revision"] == 3
    bad = await http.patch(f"/v1/contacts/{contact['id']}", json={"phones": [{"number": "555"}]}, headers=headers)
    assert set(problems(bad)) == {"body.phones.0.number"}
    await tap.caught_up()
    assert len(tap.of(account, topics.CONTACT_UPDATED)) == 1


async def test_delete_hides_the_contact_and_publishes_deleted(http, tap, account, as_user):
    headers = as_user(account, role="admin")
    contact = await create(http, headers)
    assert (await http.delete(f"/v1/contacts/{contact['id']}", headers=headers)).status_code == 204
    [event] = await tap.wait_for(account, topics.CONTACT_DELETED)
    assert event.data.contact_id == contact["id"] and event.data.revision == 2
    assert (await http.get(f"/v1/contacts/{contact['id']}", headers=headers)).status_code == 404
    assert (await http.delete(f"/v1/contacts/{contact['id']}", headers=headers)).status_code == 404
    assert (await http.get("/v1/contacts", headers=headers)).json()["items"] == []


async def test_another_accounts_contact_is_not_found_for_every_verb(http, tap, account, as_user):
    contact = await create(http, as_user(account))
    intruder = as_user(f"{account}-other", "user-x", role="owner")
    url = f"/v1/contacts/{contact['id']}"
    phone_id = contact["phones"][0]["phone_id"]
    responses = [
        await http.get(url, headers=intruder),
        await http.patch(url, json={"first_name": "Mallory"}, headers=intruder),
        await http.delete(url, headers=intruder),
        await http.post(f"{url}/tags", json={"tag": "Do Not Contact"}, headers=intruder),
        await http.post(f"{url}/tags", json={"tag": "Wrong Number", "phone_id": phone_id}, headers=intruder),
        await http.delete(f"{url}/tags/Volunteer", headers=intruder),
    ]
    assert [response.status_code for response in responses] == [404] * 6
    assert all(response.json() == {"detail": "contact not found"} for response in responses)
    assert (await http.get("/v1/contacts", headers=intruder)).json()["items"] == []
    unchanged = (await http.get(url, headers=as_user(account))).json()
    assert unchanged["revision"] == 1 and unchanged["first_name"] == "Ada"
    await tap.caught_up()
    assert [event.type for event in tap.of(account)] == [topics.CONTACT_CREATED]


async def test_do_not_contact_and_custom_tags_are_idempotent(http, tap, account, as_user):
    headers = as_user(account, "user-3")
    contact = await create(http, headers)
    url = f"/v1/contacts/{contact['id']}/tags"
    for _ in range(2):
        dnc = await http.post(url, json={"tag": "Do Not Contact"}, headers=headers)
        custom = await http.post(url, json={"tag": "  Phone   Bank "}, headers=headers)
    assert dnc.status_code == custom.status_code == 200
    assert custom.json()["dnc"] is True and custom.json()["tags"] == ["Do Not Contact", "Phone Bank"]
    assert custom.json()["revision"] == 3

    tagged = await tap.wait_for(account, topics.CONTACT_TAGGED, count=2)
    assert [(event.data.tag, event.data.by_user_id, event.data.contact.revision) for event in tagged] == [
        ("Do Not Contact", "user-3", 2),
        ("Phone Bank", "user-3", 3),
    ]
    assert tagged[0].data.contact.dnc

    removed = await http.delete(f"{url}/Phone%20Bank", headers=headers)
    assert removed.status_code == 200 and removed.json()["tags"] == ["Do Not Contact"]
    again = await http.delete(f"{url}/Phone%20Bank", headers=headers)
    assert again.status_code == 200 and again.json()["revision"] == 4
    undnc = await http.delete(f"{url}/do%20not%20contact", headers=headers)
    assert undnc.json()["dnc"] is False
    untagged = await tap.wait_for(account, topics.CONTACT_UNTAGGED, count=2)
    await tap.caught_up()
    assert len(tap.of(account, topics.CONTACT_TAGGED)) == 2 and len(tap.of(account, topics.CONTACT_UNTAGGED)) == 2
    assert [event.data.tag for event in untagged] == ["Phone Bank", "Do Not Contact"]

    too_long = await http.post(url, json={"tag": "x" * 65}, headers=headers)
    assert set(problems(too_long)) == {"body.tag"}
    with_phone = await http.post(url, json={"tag": "Donor", "phone_id": contact["phones"][0]["phone_id"]}, headers=headers)
    assert set(problems(with_phone)) == {"body.phone_id"}


async def test_wrong_number_marks_one_phone(http, tap, account, as_user):
    headers = as_user(account)
    contact = await create(http, headers, phones=[{"number": "2025550123"}, {"number": "4155552671"}])
    url = f"/v1/contacts/{contact['id']}/tags"
    missing = await http.post(url, json={"tag": "Wrong Number"}, headers=headers)
    assert "give its phone_id" in problems(missing)["body.phone_id"]
    unknown = await http.post(url, json={"tag": "Wrong Number", "phone_id": "nope"}, headers=headers)
    assert set(problems(unknown)) == {"body.phone_id"}

    phone_id = contact["phones"][1]["phone_id"]
    tagged = (await http.post(url, json={"tag": "Wrong Number", "phone_id": phone_id}, headers=headers)).json()
    assert [phone["wrong_number"] for phone in tagged["phones"]] == [False, True]
    assert "Wrong Number" in tagged["tags"]
    [event] = await tap.wait_for(account, topics.CONTACT_TAGGED)
    assert event.data.phone_id == phone_id and event.data.contact.phones[1].wrong_number

    untag_missing = await http.delete(f"{url}/Wrong%20Number", headers=headers)
    assert set(problems(untag_missing)) == {"query.phone_id"}
    cleared = (await http.delete(f"{url}/Wrong%20Number", params={"phone_id": phone_id}, headers=headers)).json()
    assert not cleared["phones"][1]["wrong_number"] and "Wrong Number" not in cleared["tags"]
    [untagged] = await tap.wait_for(account, topics.CONTACT_UNTAGGED)
    assert untagged.data.phone_id == phone_id and not untagged.data.contact.phones[1].wrong_number


async def test_opt_in_records_consent_and_cannot_override_a_stop(http, tap, account, as_user):
    headers = as_user(account, "user-5")
    contact = await create(http, headers)
    phone_id = contact["phones"][0]["phone_id"]
    url = f"/v1/contacts/{contact['id']}/tags"
    no_consent = await http.post(url, json={"tag": "Opt-In", "phone_id": phone_id}, headers=headers)
    assert set(problems(no_consent)) == {"body.consent.method"}

    consent = {"method": "verbal", "note": "said yes at the door"}
    opted = (await http.post(url, json={"tag": "opt in", "phone_id": phone_id, "consent": consent}, headers=headers)).json()
    phone = opted["phones"][0]
    assert phone["opted_in"] and opted["tags"] == ["Opt-In"]
    assert phone["opt_in"]["by_user_id"] == "user-5" and phone["opt_in"]["method"] == "verbal"
    assert phone["opt_in"]["note"] == "said yes at the door" and phone["opt_in"]["at"]
    [tagged] = await tap.wait_for(account, topics.CONTACT_TAGGED)
    [opted_in] = await tap.wait_for(account, topics.CONTACT_OPTED_IN)
    assert tagged.data.tag == "Opt-In" and (opted_in.data.source, opted_in.data.phone_id) == ("user", phone_id)
    assert opted_in.data.contact.phones[0].opted_in

    again = await http.post(url, json={"tag": "Opt-In", "phone_id": phone_id, "consent": consent}, headers=headers)
    assert again.json()["revision"] == opted["revision"]


async def test_listing_searches_names_and_digits_filters_tags_and_pages_in_name_order(http, account, as_user):
    headers = as_user(account)
    people = [
        ("Ada", "Lovelace", "2025550123"),
        ("Alan", "Turing", "4155552671"),
        ("Grace", "Hopper", "6175551234"),
        ("Anita", "Borg", "2125550000"),
        ("Adele", "Goldberg", "2025550199"),
        ("Zoë", "O'Brien", "3125550142"),
    ]
    ids = {}
    for first, last, number in people:
        created = await create(http, headers, {"first_name": first, "last_name": last, "phones": [{"number": number}]})
        ids[last] = created["id"]
    await http.post(f"/v1/contacts/{ids['Hopper']}/tags", json={"tag": "Navy"}, headers=headers)
    await http.post(f"/v1/contacts/{ids['Turing']}/tags", json={"tag": "Navy"}, headers=headers)

    async def names(**params):
        response = await http.get("/v1/contacts", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["last_name"] for item in response.json()["items"]]

    seen, cursor = [], None
    while True:
        page = (await http.get("/v1/contacts", params={"limit": 4, **({"cursor": cursor} if cursor else {})}, headers=headers)).json()
        seen += [item["last_name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["Borg", "Goldberg", "Hopper", "Lovelace", "O'Brien", "Turing"]
    assert await names(q="a") == ["Borg", "Goldberg", "Lovelace", "Turing"]
    assert await names(q="ad lo") == ["Lovelace"]
    assert await names(q="zoe obri") == ["O'Brien"]
    assert await names(q="(202) 555") == ["Goldberg", "Lovelace"]
    assert await names(q="+1 415-555-2671") == ["Turing"]
    assert await names(tag="Navy") == ["Hopper", "Turing"]
    assert await names(tag="Navy", q="gr") == ["Hopper"]
    bad_cursor = await http.get("/v1/contacts", params={"cursor": "bogus"}, headers=headers)
    assert set(problems(bad_cursor)) == {"query.cursor"}
    too_short = await http.get("/v1/contacts", params={"q": "20"}, headers=headers)
    assert set(problems(too_short)) == {"query.q"}
    assert set(problems(await http.get("/v1/contacts", params={"limit": 0}, headers=headers))) == {"query.limit"}
