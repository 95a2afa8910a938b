"""The public API as one OpenAPI document: the gateway's own routes and every service's routes
under the public path the gateway forwards them from, one bearer scheme, one 422 shape."""

import copy
import json
from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel

from services.gateway.entrypoints.deps import bearer_token
from services.gateway.entrypoints.live import NOTIFICATION_STREAM_PATH
from services.gateway.entrypoints.proxy import ROUTES
from services.gateway.entrypoints.webhooks import STATUS_CALLBACK_PATH
from services.gateway.public_api.naming import operation_id, resource_of
from services.gateway.public_api.sources import SERVICE_ROUTERS
from shared.problems import FieldProblem, Problem, ValidationProblem

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
BEARER = "bearerAuth"
TWILIO_SIGNATURE = "twilioSignature"
STREAM_TICKET = "streamTicket"
SECURITY_SCHEMES = {
    BEARER: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "The access token from login (POST /api/auth/login)"},
    STREAM_TICKET: {
        "type": "apiKey", "in": "query", "name": "ticket",
        "description": "A single-use ticket from POST /api/notifications/stream-tickets, for EventSource, which cannot send headers",
    },
    TWILIO_SIGNATURE: {
        "type": "apiKey", "in": "header", "name": "X-Twilio-Signature",
        "description": "Twilio's signature of the request: these routes are called by Twilio, not by clients",
    },
}
# FastAPI's own validation error schemas, replaced by the shape the services really answer with.
_FASTAPI_VALIDATION_SCHEMAS = {"HTTPValidationError", "ValidationError"}
_REF = "#/components/schemas/"
# Answered by plain ASGI in front of the routes (it comes by the thousand), so declared here.
STATUS_CALLBACK_OPERATION = {
    "tags": ["twilio_webhooks"],
    "summary": "A text's delivery status, recorded once Kafka holds it",
    "operationId": "twilio_webhooks_message_status",
    "security": [{TWILIO_SIGNATURE: []}],
    "requestBody": {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["MessageSid", "MessageStatus"],
            "additionalProperties": {"type": "string", "maxLength": 1600},
            "properties": {"MessageSid": {"type": "string", "maxLength": 64}, "MessageStatus": {"type": "string", "maxLength": 64}},
        }}},
    },
    "responses": {
        "204": {"description": "Recorded"},
        "400": {"description": "Not a status callback", "content": {"application/json": {"schema": {"$ref": _REF + "Problem"}}}},
        "403": {"description": "Invalid Twilio signature", "content": {"application/json": {"schema": {"$ref": _REF + "Problem"}}}},
        "503": {"description": "Not recorded yet; Twilio retries", "content": {"application/json": {"schema": {"$ref": _REF + "Problem"}}}},
    },
}


class _Part:
    """One source's operations, each under its public path, with the schemas they refer to."""

    def __init__(self, owner: str, document: dict, public_path_of, routes: Iterable[RouteContext]) -> None:
        self.owner = owner
        self.schemas = {
            name: schema for name, schema in document.get("components", {}).get("schemas", {}).items()
            if name not in _FASTAPI_VALIDATION_SCHEMAS
        }
        self.handlers = {(route.path_format, method.lower()): route for route in routes for method in route.methods}
        self.paths: dict[str, dict] = {}
        for path, operations in document.get("paths", {}).items():
            public = public_path_of(path)
            if public is not None:
                self.paths[public] = {"__source_path__": path, **operations}


def _service_public_path(service: str):
    prefixes = sorted(((prefix, resource) for resource, (owner, prefix) in ROUTES.items() if owner == service), reverse=True)

    def public_path_of(path: str) -> str | None:
        for prefix, resource in prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                return f"/api/{resource}{path.removeprefix(prefix)}"
        return None  # not forwarded from outside: system-only routes such as the services' webhooks

    return public_path_of


def _api_routes(routes: Iterable) -> list[RouteContext]:
    """Each documented API route with its path as included (FastAPI resolves included routers lazily)."""
    return [
        context for context in iter_route_contexts(list(routes))
        if isinstance(context.original_route, APIRoute) and context.include_in_schema
    ]


def _openapi_of(routes: list[RouteContext]) -> dict:
    return get_openapi(title="part", version="0", routes=routes)


def _parts(gateway: FastAPI) -> list[_Part]:
    gateway_routes = _api_routes(gateway.routes)
    parts = [_Part("gateway", _openapi_of(gateway_routes), lambda path: path, gateway_routes)]
    for service, routers in SERVICE_ROUTERS.items():
        routes = _api_routes(route for router in routers for route in router.routes)
        parts.append(_Part(service, _openapi_of(routes), _service_public_path(service), routes))
    return parts


def _schema_renames(parts: list[_Part]) -> dict[str, dict[str, str]]:
    """Schemas whose name two sources give to different shapes are prefixed by their source."""
    shapes: dict[str, set[str]] = {}
    for part in parts:
        for name, schema in part.schemas.items():
            shapes.setdefault(name, set()).add(json.dumps(schema, sort_keys=True))
    clashing = {name for name, variants in shapes.items() if len(variants) > 1}
    return {part.owner: {name: f"{part.owner.title()}{name}" for name in part.schemas if name in clashing} for part in parts}


def _renamed_refs(node, renames: dict[str, str]):
    if isinstance(node, dict):
        return {
            key: (_REF + renames.get(value.removeprefix(_REF), value.removeprefix(_REF)))
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF)
            else _renamed_refs(value, renames)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed_refs(item, renames) for item in node]
    return node


def _json_response(description: str, schema_name: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": _REF + schema_name}}}}


def _security_of(part: _Part, public_path: str, route: RouteContext) -> list[dict]:
    if public_path.startswith("/webhooks/"):
        return [{TWILIO_SIGNATURE: []}]
    if public_path == NOTIFICATION_STREAM_PATH:
        return [{STREAM_TICKET: []}, {BEARER: []}]
    # Everything forwarded to a service is signed in at the gateway; its own routes say so by their dependencies.
    if part.owner != "gateway" or _needs_sign_in(route):
        return [{BEARER: []}]
    return []


def _needs_sign_in(route: RouteContext) -> bool:
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if dependant.call is bearer_token:
            return True
        pending.extend(dependant.dependencies)
    return False


def _public_operation(part: _Part, public_path: str, method: str, operation: dict, source_path: str) -> dict:
    route = part.handlers[(source_path, method)]
    operation = copy.deepcopy(operation)
    operation["operationId"] = operation_id(public_path, method, route.name)
    operation["tags"] = [resource_of(public_path)]
    responses = operation.setdefault("responses", {})
    if "422" in responses:
        responses["422"] = _json_response("The request was refused and nothing was written", "ValidationProblem")
    security = _security_of(part, public_path, route)
    operation["security"] = security
    if any(BEARER in scheme for scheme in security):
        responses.setdefault("401", _json_response("Not signed in, or the token is no longer valid", "Problem"))
    return operation


def _model_schemas(*models: type[BaseModel]) -> dict[str, dict]:
    schemas = {}
    for model in models:
        schema = model.model_json_schema(ref_template=_REF + "{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def build_public_document(gateway: FastAPI) -> dict:
    """The whole public API as one OpenAPI 3.1 document; fails loudly on an ambiguous operation id."""
    parts = _parts(gateway)
    renames = _schema_renames(parts)
    paths: dict[str, dict] = {}
    schemas: dict[str, dict] = _model_schemas(FieldProblem, ValidationProblem, Problem)
    owners: dict[str, str] = {}
    for part in parts:
        for name, schema in part.schemas.items():
            schemas[renames[part.owner].get(name, name)] = _renamed_refs(schema, renames[part.owner])
        for public_path, operations in part.paths.items():
            source_path = operations["__source_path__"]
            for method in HTTP_METHODS:
                if method in operations:
                    operation = _public_operation(part, public_path, method, operations[method], source_path)
                    _claim(owners, operation["operationId"], f"{method.upper()} {public_path}")
                    paths.setdefault(public_path, {})[method] = _renamed_refs(operation, renames[part.owner])
    paths[STATUS_CALLBACK_PATH] = {"post": STATUS_CALLBACK_OPERATION}
    _claim(owners, STATUS_CALLBACK_OPERATION["operationId"], f"POST {STATUS_CALLBACK_PATH}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": gateway.title,
            "version": gateway.version,
            "description": "The whole public API of the contacts CRM. Sign up or log in for a bearer token; "
            "every other `/api` route needs it. `/webhooks/twilio/*` are Twilio's, verified by its signature.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": _referenced(paths, schemas), "securitySchemes": SECURITY_SCHEMES},
    }


def _claim(owners: dict[str, str], operation_id_: str, operation: str) -> None:
    if operation_id_ in owners:
        raise ValueError(f"operation id {operation_id_} names both {owners[operation_id_]} and {operation}")
    owners[operation_id_] = operation


def _referenced(paths: dict, schemas: dict[str, dict]) -> dict[str, dict]:
    """The schemas the operations use, directly or through each other (the services' system-only
    routes are left out, and so are the schemas only they use)."""
    used: set[str] = set()
    pending = list(_refs_in(paths))
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending.extend(_refs_in(schemas[name]))
    return {name: schemas[name] for name in sorted(used)}


def _refs_in(node) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.removeprefix(_REF)
            else:
                yield from _refs_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs_in(item)
