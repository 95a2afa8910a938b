"""/openapi.json and /docs (Swagger UI from files the gateway serves itself, so it works offline)."""

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from services.gateway.public_api.document import build_public_document

ASSETS = "/docs/assets"
# Swagger UI 5 (it renders OpenAPI 3.1), as fastapi-offline ships it.
SWAGGER_UI_FILES = Path(fastapi_offline.__file__).parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Contacts CRM API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon.png",
    )


def install_public_api_pages(app: FastAPI) -> None:
    """Builds the document once, from the routes included so far, and serves it with its pages.
    Call after every router and before the web client's catch-all mount."""
    document = build_public_document(app)
    app.openapi = lambda: document  # served by FastAPI's own /openapi.json route
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI_FILES), name="swagger-ui")
