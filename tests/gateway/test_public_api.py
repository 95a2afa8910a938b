"""The gateway's one OpenAPI document: every route a browser can reach, under its public path,
with its auth scheme, readable operation ids, and the 422 shape the services really answer."""

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from services.contacts.bootstrap import create_app as contacts_app
from services.contacts.settings import ContactsSettings
from services.gateway.entrypoints.proxy import ROUTES
from services.messaging.bootstrap import create_app as messaging_app
from services.messaging.settings import MessagingSettings
from services.notifications.bootstrap import create_app as notifications_app
from services.notifications.settings import NotificationsSettings
from services.numbers.bootstrap import create_app as numbers_app
from services.numbers.settings import NumbersSettings
from shared.problems import ValidationProblem

UNAUTHENTICATED = {("post", "/api/accounts"), ("post", "/api/auth/login")}


def _served_routes(app) -> set[tuple[str, str]]:
    return {
        (method.lower(), context.path_format)
        for context in iter_route_contexts(list(app.routes))
        if isinstance(context.original_route, APIRoute) and context.include_in_schema
        for method in context.methods
    }


def _public_path(service: str, path: str) -> str | None:
    for resource, (owner, prefix) in ROUTES.items():
        if owner == service and (path == prefix or path.startswith(prefix + "/")):
            return f"/api/{resource}{path.removeprefix(prefix)}"
    return None


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


@pytest.fixture(scope="module")
async def document(gateway) -> dict:
    response = await gateway.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


async def test_every_route_a_service_serves_behind_the_gateway_is_in_the_document(document):
    """Built from the services' real apps, as they run: a route added to one but not to the
    gateway's document fails here."""
    documented = {(method, path) for method, path, _ in _operations(document)}
    services = {
        "contacts": contacts_app(ContactsSettings()),
        "messaging": messaging_app(MessagingSettings()),
        "numbers": numbers_app(NumbersSettings()),
        "notifications": notifications_app(NotificationsSettings()),
    }
    missing, proxied = [], 0
    for service, app in services.items():
        for method, path in _served_routes(app):
            public = _public_path(service, path)
            if public is not None:
                proxied += 1
                if (method, public) not in documented:
                    missing.append(f"{method.upper()} {public} ({service} {path})")
    assert proxied > 40
    assert missing == []
    for resource in ROUTES:
        assert any(path.startswith(f"/api/{resource}") for _, path in documented), resource


async def test_the_gateway_own_routes_are_in_the_document(gateway, document):
    documented = {(method, path) for method, path, _ in _operations(document)}
    own = _served_routes(gateway.app) - {("get", "/docs")}
    assert own <= documented
    assert ("post", "/webhooks/twilio/messages/status") in documented  # answered ahead of the routes


async def test_no_system_only_route_is_public(document):
    assert not [path for path in document["paths"] if path.startswith("/v1/") or "/webhooks/" in path and not path.startswith("/webhooks/twilio/")]


async def test_operation_ids_are_unique_readable_function_names(document):
    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", operation_id) for operation_id in ids), ids
    assert {"contacts_list", "contacts_create", "messages_send", "bulk_sends_start", "auth_log_in", "users_update"} <= set(ids)


async def test_every_api_route_needs_the_bearer_token_except_sign_up_and_login(document):
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "The access token from login (POST /api/auth/login)",
    }
    for method, path, operation in _operations(document):
        if path.startswith("/webhooks/"):
            assert operation["security"] == [{"twilioSignature": []}], path
        elif (method, path) == ("get", "/api/notifications/stream"):
            assert operation["security"] == [{"streamTicket": []}, {"bearerAuth": []}], path
        elif (method, path) in UNAUTHENTICATED:
            assert operation["security"] == [], path
        else:
            assert operation["security"] == [{"bearerAuth": []}], (method, path)


async def test_the_declared_422_is_the_shape_the_services_answer(gateway, document):
    response = await gateway.post("/api/auth/login", json={"email": 7})
    assert response.status_code == 422
    answer = ValidationProblem.model_validate(response.json())
    assert {problem.field for problem in answer.errors} >= {"body.email", "body.password"}

    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ValidationProblem"]["required"] == ["detail"]
    assert schemas["FieldProblem"]["required"] == ["field", "problem"]
    declared = [operation["responses"]["422"] for _, _, operation in _operations(document) if "422" in operation["responses"]]
    assert len(declared) > 30
    assert all(
        response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationProblem"} for response in declared
    )


async def test_every_referenced_schema_is_defined(document):
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', str(document).replace("'", '"')))
    assert refs and refs <= set(document["components"]["schemas"])


async def test_docs_page_works_offline(gateway, document):
    page = await gateway.get("/docs")
    assert page.status_code == 200
    assert "/openapi.json" in page.text
    scripts = re.findall(r'src="([^"]+\.js)"', page.text) + re.findall(r'href="([^"]+\.css)"', page.text)
    assert scripts and all(src.startswith("/docs/assets/") for src in scripts), scripts
    for src in scripts:
        asset = await gateway.get(src)
        assert asset.status_code == 200 and len(asset.content) > 10_000, src
    assert document["openapi"].startswith("3.1")


def _unbounded_strings(node, where: str, schemas: dict, seen: frozenset = frozenset()) -> list[str]:
    """Where a schema takes a string of any length (dates, enums and files have their own bounds)."""
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else _unbounded_strings(schemas[name], name, schemas, seen | {name})
    found = []
    if node.get("type") == "string" and "maxLength" not in node and not {"enum", "const"} & set(node) \
            and node.get("format") not in ("date-time", "date", "time", "binary"):
        found.append(where)
    for name, child in node.get("properties", {}).items():
        found += _unbounded_strings(child, f"{where}.{name}", schemas, seen)
    for key in ("items", "additionalProperties", "propertyNames"):
        found += _unbounded_strings(node.get(key), f"{where}[{key}]", schemas, seen)
    for choice in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        found += _unbounded_strings(choice, where, schemas, seen)
    return found


# Credentials in the query: any that is not a valid one is a 401, however long.
CREDENTIAL_PARAMETERS = {("query", "ticket")}


async def test_every_string_the_public_api_takes_is_bounded(document):
    """Bodies and query parameters (a path is bounded by the URL's own limit)."""
    schemas = document["components"]["schemas"]
    unbounded = []
    for method, path, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "path" and (parameter["in"], parameter["name"]) not in CREDENTIAL_PARAMETERS:
                unbounded += _unbounded_strings(parameter["schema"], f"{method} {path} {parameter['in']}.{parameter['name']}", schemas)
        for content in operation.get("requestBody", {}).get("content", {}).values():
            unbounded += _unbounded_strings(content.get("schema"), f"{method} {path} body", schemas)
    assert unbounded == []


async def test_sign_up_is_declared_as_one_202_answer_without_a_token(document):
    responses = document["paths"]["/api/accounts"]["post"]["responses"]
    assert "201" not in responses and "200" not in responses
    schema = responses["202"]["content"]["application/json"]["schema"]
    accepted = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert set(accepted["properties"]) == {"detail"}
