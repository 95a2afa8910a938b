"""The gateway serves the built web client: the page never cached, its content-hashed assets
cached for a year, and the page for every client route (deep links, reloads), never for the API."""

import re

import pytest

ASSET = re.compile(r"""(?:src|href)="(/assets/[^"]+)\"""")


async def test_the_page_is_served_uncached_and_loads_its_hashed_assets(gateway):
    page = await gateway.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    assets = ASSET.findall(page.text)
    assert any(asset.endswith(".js") for asset in assets) and any(asset.endswith(".css") for asset in assets)
    for asset in assets:
        answer = await gateway.get(asset)
        assert answer.status_code == 200, asset
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable", asset
        kind = "javascript" if asset.endswith(".js") else "css"
        assert kind in answer.headers["content-type"], asset


@pytest.mark.parametrize("route", ["/contacts", "/contacts?tag=volunteer&q=512", "/sign-up", "/inbox/some-conversation"])
async def test_a_client_route_is_answered_with_the_page(gateway, route):
    answer = await gateway.get(route)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-cache"
    assert '<div id="root">' in answer.text


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/webhooks/no-such-thing", "/docs/no-such-page", "/assets/no-such-file.js"])
async def test_an_unknown_api_or_asset_path_is_a_404_not_the_page(gateway, path):
    answer = await gateway.get(path)
    assert answer.status_code == 404
    assert '<div id="root">' not in answer.text


async def test_the_api_document_and_its_page_are_not_taken_by_the_client(gateway):
    document = await gateway.get("/openapi.json")
    assert document.status_code == 200 and document.json()["paths"]
    docs = await gateway.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
