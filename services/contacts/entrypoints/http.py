"""HTTP routes: parse the request into a command, hand it to a handler, shape the answer."""

from datetime import datetime
from typing import Annotated

import phonenumbers
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from services.contacts.adapters.imports import UploadTooLarge
from services.contacts.domain.grid import SORTS, ContactFilter
from services.contacts.entrypoints import imports_http, tags_http
from services.contacts.entrypoints.export import export_rows
from services.contacts.service_layer.ports import region_of

from services.contacts.domain.commands import (
    CreateContact,
    DeleteContact,
    ListContacts,
    TagContact,
    TagMany,
    UntagContact,
    UpdateContact,
)
from services.contacts.domain.errors import (
    ConsentConflict,
    ContactBusy,
    ContactNotFound,
    ImportNotFound,
    ImportStateConflict,
    InvalidContact,
    Problem,
    RevisionConflict,
    TagExists,
    TagNotFound,
)
from services.contacts.domain.model import Actor, Consent
from services.contacts.domain.tags import TagLimitReached
from services.contacts.domain.phones import PhoneInput
from services.contacts.entrypoints.schemas import (
    AccountSettingsPublic,
    BulkTagRequest,
    BulkTagResult,
    ContactCreate,
    ContactPage,
    ContactPublic,
    ContactSummary,
    ContactUpdate,
    PhoneIn,
    SelectionCountRequest,
    SelectionIds,
    SelectionIdsRequest,
    TagLimitPublic,
    TagLimitsPublic,
    TagRequest,
    Total,
)
from services.contacts.service_layer import handlers
from services.contacts.service_layer.ports import Ports
from shared import bounds
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


_PAGING = {"sort", "limit", "cursor"}
_LIST_PARAMETERS = {name for name, info in ContactFilter.model_fields.items() if info.annotation == list[str]}


def _filter_from_query(request: Request, *, paging: bool) -> ContactFilter:
    """The grid filter from query parameters (repeat a list parameter for each value);
    an unknown parameter is refused rather than silently ignored."""
    params = request.query_params
    allowed = set(ContactFilter.model_fields) | (_PAGING if paging else set())
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise InvalidContact([Problem(name, "not a grid query parameter") for name in unknown])
    raw = {
        name: params.getlist(name) if name in _LIST_PARAMETERS else params[name]
        for name in params
        if name not in _PAGING
    }
    return ContactFilter.parse(raw, field=None)


@router.get("", response_model=ContactPage)
async def list_contacts(
    request: Request,
    caller: AccountCaller,
    ports: PortsDep,
    q: Annotated[str | None, Query(max_length=100, description="Name prefix(es), an email, or 3+ phone digits")] = None,
    tag: Annotated[str | None, Query(max_length=200)] = None,
    tags_any: Annotated[list[bounds.Label] | None, Query(description="At least one of these tags")] = None,
    tags_all: Annotated[list[bounds.Label] | None, Query(description="Every one of these tags")] = None,
    tags_none: Annotated[list[bounds.Label] | None, Query(description="None of these tags")] = None,
    has_cell: bool | None = None,
    dnc: bool | None = None,
    opted_in: bool | None = None,
    wrong_number: bool | None = None,
    # Bounded here for the 422 to come before anything is parsed; the grid has the precise bounds.
    city: Annotated[str | None, Query(max_length=bounds.LABEL)] = None,
    state: Annotated[str | None, Query(max_length=bounds.LABEL)] = None,
    zip: Annotated[str | None, Query(max_length=bounds.LABEL)] = None,
    owner: Annotated[str | None, Query(max_length=bounds.IDENTIFIER)] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    last_contacted_from: datetime | None = None,
    last_contacted_to: datetime | None = None,
    sort: Annotated[str, Query(max_length=bounds.SHORT_CODE, description=f"One of {', '.join(SORTS)}")] = "last_name",
    limit: Annotated[int, Query(ge=1, le=handlers.MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> ContactPage:
    """The grid. Every filter parameter is optional and they combine; the same names, as
    one JSON object, select contacts for bulk actions (/selection/ids, /bulk/tag)."""
    selection = _filter_from_query(request, paging=True)
    page = await handlers.list_contacts(
        ListContacts(account_id=caller.account_id, filter=selection, sort=sort, limit=limit, cursor=cursor), ports=ports
    )
    return ContactPage(items=[ContactSummary.of(contact) for contact in page.items], next_cursor=page.next_cursor)


@router.get("/count", response_model=Total)
async def count_contacts(request: Request, caller: AccountCaller, ports: PortsDep) -> Total:
    """How many contacts the grid's filter (same query parameters) matches."""
    selection = _filter_from_query(request, paging=False)
    return Total(total=await handlers.count_contacts(caller.account_id, selection, ports=ports))


@router.post("/selection/ids", response_model=SelectionIds)
async def selection_ids(body: SelectionIdsRequest, caller: AccountCaller, ports: PortsDep) -> SelectionIds:
    """"Select all matching": the ids of the contacts a grid filter matches, in ascending
    id order, a page at a time."""
    selection = ContactFilter.parse(body.filter)
    ids, after = await handlers.select_ids(caller.account_id, selection, after=body.after, limit=body.limit, ports=ports)
    return SelectionIds(ids=ids, next=after)


@router.post("/selection/count", response_model=Total)
async def selection_count(body: SelectionCountRequest, caller: AccountCaller, ports: PortsDep) -> Total:
    selection = ContactFilter.parse(body.filter)
    return Total(total=await handlers.count_contacts(caller.account_id, selection, ports=ports))


async def _bulk(body: BulkTagRequest, caller: Caller, ports: Ports, *, untag: bool) -> BulkTagResult:
    command = TagMany(
        account_id=caller.account_id,
        actor=_actor(caller),
        tag=body.tag,
        untag=untag,
        contact_ids=body.contact_ids,
        filter=ContactFilter.parse(body.filter) if body.filter is not None else None,
    )
    outcome = await handlers.tag_many(command, ports=ports)
    return BulkTagResult(
        matched=outcome.matched, changed=outcome.changed, not_found=outcome.not_found, at_tag_limit=outcome.at_tag_limit
    )


@router.post("/bulk/tag", response_model=BulkTagResult)
async def bulk_tag(body: BulkTagRequest, caller: AccountCaller, ports: PortsDep) -> BulkTagResult:
    """Tag every contact of a selection: `contact_ids`, or a grid `filter`."""
    return await _bulk(body, caller, ports, untag=False)


@router.post("/bulk/untag", response_model=BulkTagResult)
async def bulk_untag(body: BulkTagRequest, caller: AccountCaller, ports: PortsDep) -> BulkTagResult:
    return await _bulk(body, caller, ports, untag=True)


@router.get("/export.csv")
async def export_contacts(request: Request, caller: AccountCaller, ports: PortsDep) -> StreamingResponse:
    """Every contact the grid's filter matches, as CSV, streamed a page at a time."""
    selection = _filter_from_query(request, paging=False)
    criteria = await handlers.resolve_filter(ports, caller.account_id, selection)  # a bad filter: 422, not a broken stream
    return StreamingResponse(
        export_rows(ports, caller.account_id, criteria),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="contacts.csv"'},
    )


@router.get("/settings", response_model=AccountSettingsPublic)
async def get_settings(caller: AccountCaller, ports: PortsDep) -> AccountSettingsPublic:
    return AccountSettingsPublic(default_phone_region=await region_of(ports, caller.account_id))


@router.put("/settings", response_model=AccountSettingsPublic)
async def put_settings(body: AccountSettingsPublic, caller: AccountCaller, ports: PortsDep) -> AccountSettingsPublic:
    """The account's default phone region (numbers typed without +country use it)."""
    region = body.default_phone_region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidContact.of("default_phone_region", f"'{body.default_phone_region}' is not a region code like US or GB")
    await ports.accounts.set_phone_region(caller.account_id, region)
    return AccountSettingsPublic(default_phone_region=region)


@router.get("/limits", response_model=TagLimitsPublic)
async def get_limits(caller: AccountCaller, ports: PortsDep) -> TagLimitsPublic:
    """The limits on tags: per contact, and per account with how many the account has."""
    limits = ports.tag_limits
    return TagLimitsPublic(
        tags_per_contact=TagLimitPublic(limit=limits.per_contact),
        tags_per_account=TagLimitPublic(limit=limits.per_account, used=await ports.tags.count(caller.account_id)),
    )


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
    if request.method == "GET" or field == "limit" or field == "cursor":
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

    @app.exception_handler(TagNotFound)
    async def tag_not_found(request: Request, error: TagNotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": "tag not found"})

    @app.exception_handler(TagExists)
    async def tag_exists(request: Request, error: TagExists) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": f"a tag named '{error}' already exists"})

    @app.exception_handler(TagLimitReached)
    async def tag_limit(request: Request, error: TagLimitReached) -> JSONResponse:
        return JSONResponse(
            status_code=409, content={"detail": str(error), "limit": error.limit, "allowed": error.allowed, "count": error.count}
        )

    @app.exception_handler(ImportNotFound)
    async def import_not_found(request: Request, error: ImportNotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": "import not found"})

    @app.exception_handler(ImportStateConflict)
    async def import_state(request: Request, error: ImportStateConflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(error)})

    @app.exception_handler(UploadTooLarge)
    async def too_large(request: Request, error: UploadTooLarge) -> JSONResponse:
        return JSONResponse(status_code=413, content={"detail": str(error)})

    @app.exception_handler(ContactBusy)
    async def busy(request: Request, error: ContactBusy) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": "the contact is being changed by others; try again"})


routers = [router, tags_http.router, imports_http.router]
