"""HTTP routes: parse the request into a command, hand it to a handler, shape the answer."""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, status
from fastapi.responses import JSONResponse

from services.contacts.domain.commands import (
    CreateContact,
    DeleteContact,
    ListContacts,
    TagContact,
    UntagContact,
    UpdateContact,
)
from services.contacts.domain.errors import (
    ConsentConflict,
    ContactBusy,
    ContactNotFound,
    InvalidContact,
    RevisionConflict,
)
from services.contacts.domain.model import Actor, Consent
from services.contacts.domain.phones import PhoneInput
from services.contacts.entrypoints.schemas import (
    ContactCreate,
    ContactPage,
    ContactPublic,
    ContactSummary,
    ContactUpdate,
    PhoneIn,
    TagRequest,
)
from services.contacts.service_layer import handlers
from services.contacts.service_layer.ports import Ports
from shared.caller import Caller
from shared.web import AccountCaller


def _ports(request: Request) -> Ports:
    return request.app.state.ports


PortsDep = Annotated[Ports, Depends(_ports)]

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])


def _actor(caller: Caller) -> Actor:
    return Actor(user_id=caller.user_id, source="user")


def _phones(phones: list[PhoneIn] | None) -> list[PhoneInput]:
    return [PhoneInput(number=p.number, type=p.type, primary=p.primary, status=p.status) for p in phones or []]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ContactPublic)
async def create_contact(body: ContactCreate, caller: AccountCaller, ports: PortsDep) -> ContactPublic:
    command = CreateContact(
        account_id=caller.account_id,
        actor=_actor(caller),
        first_name=body.first_name,
        last_name=body.last_name,
        emails=body.emails,
        address=body.address.model_dump() if body.address else None,
        phones=_phones(body.phones),
        tags=body.tags,
        custom_fields=body.custom_fields,
        owner_user_id=body.owner_user_id,
        notes=body.notes,
    )
    return ContactPublic.of(await handlers.create_contact(command, ports=ports))


@router.get("", response_model=ContactPage)
async def list_contacts(
    caller: AccountCaller,
    ports: PortsDep,
    q: Annotated[str | None, Query(max_length=100, description="Name prefix(es) or 3+ phone digits")] = None,
    tag: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=handlers.MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> ContactPage:
    page = await handlers.list_contacts(
        ListContacts(account_id=caller.account_id, q=q, tag=tag, limit=limit, cursor=cursor), ports=ports
    )
    return ContactPage(items=[ContactSummary.of(contact) for contact in page.items], next_cursor=page.next_cursor)


@router.get("/{contact_id}", response_model=ContactPublic)
async def get_contact(contact_id: str, caller: AccountCaller, ports: PortsDep) -> ContactPublic:
    return ContactPublic.of(await handlers.get_contact(caller.account_id, contact_id, ports=ports))


@router.patch("/{contact_id}", response_model=ContactPublic)
async def update_contact(contact_id: str, body: ContactUpdate, caller: AccountCaller, ports: PortsDep) -> ContactPublic:
    sent = body.model_fields_set - {"phones", "expected_revision"}
    changes = {name: getattr(body, name) for name in sent}
    if "address" in changes and body.address is not None:
        changes["address"] = body.address.model_dump()
    command = UpdateContact(
        account_id=caller.account_id,
        contact_id=contact_id,
        actor=_actor(caller),
        changes=changes,
        phones=_phones(body.phones) if "phones" in body.model_fields_set else None,
        expected_revision=body.expected_revision,
    )
    return ContactPublic.of(await handlers.update_contact(command, ports=ports))


@router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_contact(contact_id: str, caller: AccountCaller, ports: PortsDep) -> Response:
    await handlers.delete_contact(
        DeleteContact(account_id=caller.account_id, contact_id=contact_id, actor=_actor(caller)), ports=ports
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{contact_id}/tags", response_model=ContactPublic)
async def tag_contact(contact_id: str, body: TagRequest, caller: AccountCaller, ports: PortsDep) -> ContactPublic:
    command = TagContact(
        account_id=caller.account_id,
        contact_id=contact_id,
        actor=_actor(caller),
        tag=body.tag,
        phone_id=body.phone_id,
        consent=Consent(method=body.consent.method, note=body.consent.note) if body.consent else None,
    )
    return ContactPublic.of(await handlers.tag_contact(command, ports=ports))


@router.delete("/{contact_id}/tags/{tag:path}", response_model=ContactPublic)
async def untag_contact(
    contact_id: str,
    tag: str,
    caller: AccountCaller,
    ports: PortsDep,
    phone_id: Annotated[str | None, Query(max_length=64)] = None,
) -> ContactPublic:
    command = UntagContact(
        account_id=caller.account_id, contact_id=contact_id, actor=_actor(caller), tag=tag, phone_id=phone_id
    )
    return ContactPublic.of(await handlers.untag_contact(command, ports=ports))


def _location(request: Request, field: str) -> str:
    """Where the named field was in the request, to prefix it like FastAPI's own 422s."""
    if request.method == "GET":
        return "query"  # q, tag, limit, cursor of a list
    if request.method == "DELETE":
        return "path" if field == "tag" else "query"  # DELETE .../tags/{tag}?phone_id=
    return "body"


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors as clear 4xx answers, 422s in the same shape as the common ones."""

    @app.exception_handler(InvalidContact)
    async def invalid(request: Request, error: InvalidContact) -> JSONResponse:
        problems = [{"field": f"{_location(request, p.field)}.{p.field}", "problem": p.problem} for p in error.problems]
        return JSONResponse(status_code=422, content={"detail": "invalid request", "errors": problems})

    @app.exception_handler(ContactNotFound)
    async def not_found(request: Request, error: ContactNotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": "contact not found"})

    @app.exception_handler(ConsentConflict)
    async def consent_conflict(request: Request, error: ConsentConflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(error)})

    @app.exception_handler(RevisionConflict)
    async def revision_conflict(request: Request, error: RevisionConflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(error), "revision": error.actual})

    @app.exception_handler(ContactBusy)
    async def busy(request: Request, error: ContactBusy) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": "the contact is being changed by others; try again"})
