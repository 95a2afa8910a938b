"""HTTP routes of CSV imports: upload the file (the request body, streamed), look at
its columns, start it with a mapping, follow its progress, download its error report."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import StreamingResponse

from services.contacts.adapters.imports import MongoImportJobs
from services.contacts.domain.errors import ImportNotFound
from services.contacts.domain.importing import ImportOptions
from services.contacts.entrypoints.safe_csv import csv_bytes
from services.contacts.entrypoints.schemas import ImportPublic
from services.contacts.service_layer import importing
from shared.web import AccountCaller

router = APIRouter(prefix="/v1/imports", tags=["imports"])
ERROR_PAGE = 1000


def _jobs(request: Request) -> MongoImportJobs:
    return request.app.state.imports


JobsDep = Annotated[MongoImportJobs, Depends(_jobs)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ImportPublic)
async def upload(
    request: Request,
    caller: AccountCaller,
    jobs: JobsDep,
    filename: Annotated[str, Query(max_length=200)] = "contacts.csv",
) -> ImportPublic:
    """The request body is the CSV file (UTF-8, optional BOM, any line endings), stored
    as it arrives. The answer names its columns, for the mapping that starts it."""
    job = await importing.upload(
        jobs, caller.account_id, caller.user_id, filename, request.stream(),
        max_bytes=request.app.state.settings.import_max_bytes,
    )
    return ImportPublic.of(job)


@router.get("", response_model=list[ImportPublic])
async def list_imports(caller: AccountCaller, jobs: JobsDep) -> list[ImportPublic]:
    return [ImportPublic.of(job) for job in await jobs.recent(caller.account_id)]


@router.get("/{import_id}", response_model=ImportPublic)
async def get_import(import_id: str, caller: AccountCaller, jobs: JobsDep) -> ImportPublic:
    """The job and its progress: rows read, created, merged, failed."""
    job = await jobs.get(caller.account_id, import_id)
    if job is None:
        raise ImportNotFound(import_id)
    return ImportPublic.of(job)


@router.post("/{import_id}/start", response_model=ImportPublic)
async def start_import(import_id: str, body: ImportOptions, request: Request, caller: AccountCaller, jobs: JobsDep) -> ImportPublic:
    """Queue the uploaded file with its column mapping. A row matching an existing contact
    (by any phone number, else by email) merges into it: what the contact has wins,
    the row fills blanks and adds new emails, phones and tags."""
    job = await importing.start(
        jobs, request.app.state.ports, caller.account_id, import_id, body, wake=request.app.state.wake_imports
    )
    return ImportPublic.of(job)


@router.get("/{import_id}/errors.csv")
async def error_report(import_id: str, caller: AccountCaller, jobs: JobsDep) -> StreamingResponse:
    """The rows that did not land: line number, reason, and the row's values."""
    job = await jobs.get(caller.account_id, import_id)
    if job is None:
        raise ImportNotFound(import_id)
    return StreamingResponse(
        _error_rows(jobs, import_id),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="import-{import_id}-errors.csv"'},
    )


async def _error_rows(jobs: MongoImportJobs, import_id: str) -> AsyncIterator[bytes]:
    yield _csv([["line", "reason", "values"]])
    after = 0
    while True:
        errors = await jobs.errors(import_id, after_line=after, limit=ERROR_PAGE)
        if errors:
            yield _csv([[str(error["line"]), error["reason"], *error.get("values", [])] for error in errors])
        if len(errors) < ERROR_PAGE:
            return
        after = errors[-1]["line"]


def _csv(rows: list[list[str]]) -> bytes:
    return csv_bytes(rows)
