"""A new password is 12 to 128 characters and hard to guess (zxcvbn), judged against the user's
own email and names; a refusal is a 422 naming the password and saying why, and stores nothing."""

import uuid

import pytest

from services.gateway.adapters.repository import USERS
from services.gateway.domain.password_policy import personal_words, weakness

STRONG = "correct horse battery staple"


def _sign_up_body(**overrides) -> dict:
    tag = uuid.uuid4().hex[:10]
    return {"account_name": "Lee Campaign", "name": "Sam Lee", "email": f"samlee{tag}@example.org", "password": STRONG, **overrides}


def _password_problem(answer) -> str:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["detail"] and [problem["field"] for problem in body["errors"]] == ["body.password"], body
    return body["errors"][0]["problem"]


@pytest.mark.parametrize(("password", "reason"), [
    ("aaaaaaaaaa", "at least 12 characters"),
    (" " * 10, "at least 12 characters"),
    ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess'),
    (" " * 12, 'Repeats like "aaa" are easy to guess'),
    ("password1234", "This is a very common password"),
    ("qwertyuiop123", "too easy to guess"),
    ("x" * 129, "at most 128 characters"),
])
async def test_sign_up_refuses_a_weak_password_saying_why_and_stores_nothing(gateway, password, reason):
    db = gateway.app.state.runtime.db
    before = await db[USERS].count_documents({})
    body = _sign_up_body(password=password)
    problem = _password_problem(await gateway.post("/api/accounts", json=body))
    assert reason in problem
    assert await db[USERS].count_documents({}) == before
    assert await db[USERS].find_one({"email": body["email"]}) is None


async def test_a_password_built_from_the_users_own_email_is_weak(gateway):
    tag = uuid.uuid4().hex[:6]
    email = f"jordan.quill{tag}@example.org"
    problem = _password_problem(await gateway.post("/api/accounts", json=_sign_up_body(email=email, password=email)))
    assert "too easy to guess" in problem
    # The same characters are fine for someone else: it is the user's own email that makes them weak.
    assert weakness(email, personal=personal_words(f"sam{tag}@example.org", "Sam")) is None


async def test_a_strong_password_and_the_demo_password_are_accepted(gateway):
    assert (await gateway.post("/api/accounts", json=_sign_up_body())).status_code < 300
    long_and_strong = "Tidal orbit, copper kettle; " * 4 + "x" * 16
    assert len(long_and_strong) == 128
    assert (await gateway.post("/api/accounts", json=_sign_up_body(password=long_and_strong))).status_code < 300
    assert (await gateway.post("/api/accounts", json=_sign_up_body(password="demo-password-1"))).status_code < 300


async def test_adding_a_user_follows_the_same_policy(gateway):
    owner_body = _sign_up_body()
    assert (await gateway.post("/api/accounts", json=owner_body)).status_code < 300
    login = await gateway.post("/api/auth/login", json={"email": owner_body["email"], "password": STRONG})
    owner = {"Authorization": f"Bearer {login.json()['access_token']}"}
    new_user = {"email": f"tex-{uuid.uuid4().hex[:8]}@example.org", "name": "Tex", "role": "texter"}
    for weak in ("aaaaaaaaaa", " " * 10, "password1234"):
        _password_problem(await gateway.post("/api/users", json={**new_user, "password": weak}, headers=owner))
    added = await gateway.post("/api/users", json={**new_user, "password": "texter password"}, headers=owner)
    assert added.status_code == 201, added.text
