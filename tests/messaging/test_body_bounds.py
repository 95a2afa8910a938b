"""A text's body is at most 1,600 characters, for one person or a bulk send, refused before
anything is written."""

from services.messaging.domain.model import MAX_BODY_CHARS


async def test_an_overlong_bulk_send_body_is_a_422_and_no_job_is_made(messaging, account):
    answer = await account.harness.api.post(
        "/v1/bulk-sends", json={"body": "x" * (MAX_BODY_CHARS + 1), "contact_ids": ["c1"]}, headers=account.headers
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "body.body", "problem": f"String should have at most {MAX_BODY_CHARS} characters"}]
