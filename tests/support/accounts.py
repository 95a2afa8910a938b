"""Signing up through the gateway as a person does: sign up, then sign in."""

import httpx


async def sign_up_and_sign_in(client: httpx.AsyncClient, body: dict) -> dict:
    """The session (access_token, user) of a new account's owner, signed up with `body`."""
    signed_up = await client.post("/api/accounts", json=body)
    assert signed_up.status_code == 202, signed_up.text
    signed_in = await client.post("/api/auth/login", json={"email": body["email"], "password": body["password"]})
    assert signed_in.status_code == 200, signed_in.text
    return signed_in.json()
