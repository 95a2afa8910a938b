"""The built web client (services/gateway/web/dist): content-hashed assets cached for a year, the
page never cached, and the page for every client route so that deep links and reloads work."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

BUILT = Path(__file__).parents[1] / "web" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
# Paths that belong to the API, its pages and the assets: an unknown one is a 404, never the page.
NOT_CLIENT_ROUTES = ("api", "webhooks", "docs", "openapi.json", "assets")


class WebClient(StaticFiles):
    """A mount (not routes), like any static files, so it stays out of the API's permission matrix."""

    async def get_response(self, path: str, scope):
        if not (BUILT / "index.html").is_file():
            return JSONResponse({"detail": "The web client is not built: run deploy/local/setup"}, status_code=503)
        try:
            response = await super().get_response(path, scope)
        except HTTPException as missing:
            if missing.status_code != 404 or path.split("/", 1)[0] in NOT_CLIENT_ROUTES:
                raise
            response = await super().get_response("index.html", scope)
        if response.status_code == 200 or response.status_code == 304:
            hashed = path.startswith("assets/")
            response.headers["Cache-Control"] = IMMUTABLE if hashed else NO_CACHE
        return response


def install_web_client(app: FastAPI) -> None:
    """Call last: the client answers every GET that no route of the API answered."""
    app.mount("/", WebClient(directory=BUILT, html=True, check_dir=False), name="web")
