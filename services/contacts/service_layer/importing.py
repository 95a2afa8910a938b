"""CSV import as a job: upload (streamed into the store), start (with a column mapping),
and a worker that reads the file in batches, each batch idempotent, with its progress
and resume point checkpointed after every batch."""

import asyncio
import codecs
import csv
import logging
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, uuid4, uuid5

from services.contacts.adapters.imports import MongoImportJobs, utc_now
from services.contacts.adapters.repository import MongoImportContacts, answers_to, keys_of, row_key
from services.contacts.domain.errors import ImportNotFound, ImportStateConflict, InvalidContact
from services.contacts.domain.importing import (
    MAX_ERROR_REASON,
    ImportOptions,
    Mapping,
    RowError,
    imported_contact_id,
    read_row,
    reason_of,
)
from services.contacts.domain.model import Actor, Contact
from services.contacts.domain.phones import parse_phone_inputs
from services.contacts.domain.tags import TagLimitReached, custom_tags, refuse_past_contact_limit
from services.contacts.service_layer.handlers import _apply, _envelopes
from services.contacts.service_layer.ports import Ports, region_of
from shared.events import ContactCreated, Envelope
from shared.metrics.families.imports import IMPORT_ROWS

log = logging.getLogger(__name__)

csv.field_size_limit(1_000_000)

# Rows parsed between two pauses for the service's other tasks: a few milliseconds of work.
PARSE_SLICE = 25
T = TypeVar("T")


def header_of(first_chunk: bytes) -> list[str]:
    """The header row, read from the start of the file (UTF-8, with or without a BOM)."""
    text = codecs.getincrementaldecoder("utf-8-sig")(errors="strict").decode(first_chunk, final=False)
    first_line = text.splitlines()[0] if text else ""
    header = next(csv.reader([first_line]), [])
    if not any(name.strip() for name in header):
        raise InvalidContact.of("file", "the file is empty or has no header row")
    if len(set(header)) != len(header):
        raise InvalidContact.of("file", "the header row names a column twice")
    return header


async def upload(
    jobs: MongoImportJobs, account_id: str, user_id: str | None, filename: str, body: AsyncIterator[bytes], *, max_bytes: int
) -> dict[str, Any]:
    job = await jobs.store_upload(account_id, user_id, filename, body, max_bytes=max_bytes, now=utc_now())
    try:
        job["columns"] = header_of(job.pop("first_chunk"))
    except UnicodeDecodeError as error:
        await jobs.drop_file(job["_id"])
        raise InvalidContact.of("file", f"the file is not UTF-8 text: {error.reason} at byte {error.start}") from error
    except InvalidContact:
        await jobs.drop_file(job["_id"])
        raise
    await jobs.insert(job)
    return job


async def start(jobs: MongoImportJobs, ports: Ports, account_id: str, job_id: str, options: ImportOptions, *, wake) -> dict[str, Any]:
    job = await jobs.get(account_id, job_id)
    if job is None:
        raise ImportNotFound(job_id)
    mapping = Mapping.of(options, job["columns"])  # 422 now rather than a failed job later
    if job["status"] == "uploaded":
        # The tags for every row: past a limit, a 409 now rather than every row failing later.
        to_apply = custom_tags(list(mapping.tags))
        refuse_past_contact_limit([], to_apply, allowed=ports.tag_limits.per_contact)
        await ports.tags.ensure(account_id, to_apply, now=utc_now(), limit=ports.tag_limits.per_account)
    started = await jobs.start(account_id, job_id, options.model_dump(), utc_now())
    if started is None:
        raise ImportStateConflict(f"the import is {job['status']}; only an uploaded import can be started")
    wake()
    return started


# ----- the worker ------------------------------------------------------------------------


@dataclass
class Progress:
    rows_read: int = 0
    created: int = 0
    merged: int = 0
    failed: int = 0

    def as_fields(self) -> dict[str, int]:
        return {"rows_read": self.rows_read, "created": self.created, "merged": self.merged, "failed": self.failed}


class LostLease(Exception):
    """Another worker took the job over (this one was presumed dead)."""


class _OpenFile:
    """A job's file as this worker last left it: downloaded, parsed up to `rows_read`, with
    the batch's tag caches, so the job's next slice here reads on instead of starting over."""

    def __init__(self, job: dict[str, Any], directory: str, batches: Iterator[list[tuple[int, list[str]]]], batch: "ImportBatch"):
        self.job_id = job["_id"]
        self.directory = directory
        self.batches = batches
        self.batch = batch
        self.rows_read = job["rows_read"]

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class ImportWorker:
    """Runs imports a slice at a time: it claims the next slice (`slice_rows` rows) of the
    job whose account was served longest ago, runs it in batches (a checkpoint each), then
    lets the job go, so one account's large import never holds the worker from the others.
    While it works on a slice a heartbeat renews its lease; a job whose worker died is taken
    over when its lease runs out, resuming after the last checkpointed row. Several workers
    may run: the claim is atomic and a worker that lost its lease writes no progress."""

    def __init__(
        self,
        jobs: MongoImportJobs,
        contacts: MongoImportContacts,
        ports: Ports,
        *,
        batch_size: int,
        lease: timedelta,
        poll_seconds: float,
        slice_rows: int = 10_000,
        spool_dir: str | None = None,
        open_files: int = 4,
    ) -> None:
        self._jobs = jobs
        self._contacts = contacts
        self._ports = ports
        self._batch_size = batch_size
        self._slice_batches = max(1, -(-slice_rows // batch_size))
        self._lease = lease
        self._poll_seconds = poll_seconds
        self._spool_dir = spool_dir
        self._open: OrderedDict[str, _OpenFile] = OrderedDict()
        self._open_files = open_files
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.worker_id = uuid4().hex

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="import-worker")

    async def stop(self) -> None:
        """Stop wherever it is, as a process that dies would: the lease is left to run out."""
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for opened in self._open.values():
            opened.close()
        self._open.clear()

    async def _run(self) -> None:
        while True:
            try:
                if await self.run_once():
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("import worker failed; retrying")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
            except TimeoutError:
                pass
            self._wake.clear()

    async def run_once(self) -> bool:
        """Claim and run one slice; False when there was nothing to claim."""
        job = await self._jobs.claim(self.worker_id, utc_now(), self._lease)
        if job is None:
            return False
        await self.run_slice(job)
        return True

    async def run_slice(self, job: dict[str, Any]) -> None:
        progress = Progress(job["rows_read"], job["created"], job["merged"], job["failed"])
        heartbeat = asyncio.create_task(self._heartbeat(job["_id"]), name=f"import-heartbeat-{job['_id']}")
        try:
            opened = await self._file_of(job)
            batches = 0
            async for rows, outcome in written_in_turn(opened.batch, islice(opened.batches, self._slice_batches)):
                batches += 1
                progress.rows_read += len(rows)
                progress.created += outcome.created
                progress.merged += outcome.merged
                progress.failed += outcome.failed
                for name, rows_of_outcome in (("created", outcome.created), ("merged", outcome.merged), ("failed", outcome.failed)):
                    IMPORT_ROWS.labels(outcome=name).inc(rows_of_outcome)
                if not await self._jobs.checkpoint(job["_id"], self.worker_id, progress.as_fields(), utc_now() + self._lease):
                    raise LostLease(job["_id"])
                opened.rows_read = progress.rows_read
        except LostLease:
            log.warning("import %s: taken over by another worker", job["_id"])
            self._forget(job["_id"])
            return
        except BaseException:
            self._forget(job["_id"])  # read past its checkpoint: the next slice reopens it
            raise
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
        if batches < self._slice_batches:
            self._forget(job["_id"])
            await self._jobs.finish(job["_id"], self.worker_id, "completed", utc_now())
            log.info("import %s: completed %s", job["_id"], progress.as_fields())
        else:
            await self._jobs.end_turn(job, self.worker_id, utc_now())

    async def _heartbeat(self, job_id: str) -> None:
        """Renew the lease a few times per lease period while the slice runs."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            if not await self._jobs.renew(job_id, self.worker_id, utc_now() + self._lease):
                return  # taken over: the next checkpoint stops the slice

    async def _file_of(self, job: dict[str, Any]) -> _OpenFile:
        """The job's file where this worker left it, or downloaded and read up to the job's
        checkpoint (another worker ran the slices between)."""
        opened = self._open.pop(job["_id"], None)
        if opened is not None and opened.rows_read == job["rows_read"]:
            self._open[job["_id"]] = opened
            return opened
        if opened is not None:
            opened.close()
        mapping = Mapping.of(ImportOptions.model_validate(job["options"]), job["columns"])
        batch = ImportBatch(job, mapping, self._contacts, self._jobs, self._ports, region=await region_of(self._ports, job["account_id"]))
        directory = tempfile.mkdtemp(dir=self._spool_dir, prefix="import-")
        try:
            path = Path(directory) / "upload.csv"
            await self._jobs.download(job, path)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        log.info("import %s: reading after row %d", job["_id"], job["rows_read"])
        opened = _OpenFile(job, directory, _batches(_records(path, skip=job["rows_read"]), self._batch_size), batch)
        self._open[job["_id"]] = opened
        while len(self._open) > self._open_files:
            _, oldest = self._open.popitem(last=False)
            oldest.close()
        return opened

    def _forget(self, job_id: str) -> None:
        opened = self._open.pop(job_id, None)
        if opened is not None:
            opened.close()


async def written_in_turn(
    batch: "ImportBatch", batches: Iterator[list[tuple[int, list[str]]]]
) -> AsyncIterator[tuple[list[tuple[int, list[str]]], "BatchOutcome"]]:
    """Each batch written, in file order, with its outcome. The next batch is read and
    parsed while the store writes this one, so the service's and the store's work overlap;
    only the writes depend on the batches before them."""
    rows = next(batches, None)
    prepared = await batch.prepare(rows) if rows else None
    while rows:
        writing = asyncio.create_task(batch.write(prepared))
        try:
            upcoming = next(batches, None)
            upcoming_prepared = await batch.prepare(upcoming) if upcoming else None
            outcome = await writing
        finally:
            if not writing.done():
                writing.cancel()
                await asyncio.gather(writing, return_exceptions=True)
        yield rows, outcome
        rows, prepared = upcoming, upcoming_prepared


async def _in_slices(items: list[T], size: int = PARSE_SLICE) -> AsyncIterator[T]:
    """The items, yielding to the service's other tasks after every `size` of them (a
    pause, not a wait: the loop runs whatever is ready and comes straight back)."""
    for index, item in enumerate(items):
        if index and index % size == 0:
            await asyncio.sleep(0)
        yield item


def _records(path: Path, *, skip: int) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, values) for each data record after the
    header; blank lines are not records. The first `skip` records are passed over."""
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as file:
        reader = csv.reader(file, strict=False)
        next(reader, None)
        seen = 0
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                values = [f"\0{error}"]
            if not values or all(not value.strip() for value in values):
                continue
            seen += 1
            if seen > skip:
                yield line, values


def _batches(records: Iterator[tuple[int, list[str]]], size: int) -> Iterator[list[tuple[int, list[str]]]]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class BatchOutcome:
    created: int = 0
    merged: int = 0
    failed: int = 0


@dataclass
class _Parsed:
    candidates: list[Contact] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, tuple[int, list[str]]] = field(default_factory=dict)  # each candidate's line and values

    def error(self, candidate: Contact, reason: str) -> dict[str, Any]:
        line, values = self.rows[candidate.contact_id]
        return {"line": line, "reason": reason[:MAX_ERROR_REASON], "values": values[:50]}


@dataclass
class _Pending:
    """What the batch will write: new contacts, and rows to merge into existing ones."""

    new: dict[str, Contact] = field(default_factory=dict)
    merges: dict[str, list[Contact]] = field(default_factory=dict)
    by_number: dict[str, str] = field(default_factory=dict)
    by_email: dict[str, str] = field(default_factory=dict)


class ImportBatch:
    """One batch of rows. Running it twice (after a crash before its checkpoint) writes
    nothing twice: new contacts have ids derived from the file and line, rows matching
    a contact merge by a rule that adds nothing the second time, errors are keyed by line."""

    def __init__(self, job, mapping: Mapping, contacts: MongoImportContacts, jobs: MongoImportJobs, ports: Ports, *, region: str):
        self._job = job
        self._account_id = job["account_id"]
        self._mapping = mapping
        self._contacts = contacts
        self._jobs = jobs
        self._ports = ports
        self._region = region
        self._actor = Actor(user_id=job.get("created_by"), source="import")
        self._claimed: dict[str, str] = {}
        # Tags registered and spelled already during this run of the job: each once.
        self._spelled: dict[str, str] = {}
        self._ensured: set[str] = set()

    async def run(self, records: list[tuple[int, list[str]]]) -> BatchOutcome:
        return await self.write(await self.prepare(records))

    async def prepare(self, records: list[tuple[int, list[str]]]) -> "_Parsed":
        """The rows parsed into candidate contacts and row errors; nothing is read or
        written. The parsing pauses every few rows, so the service's other work goes on."""
        parsed = _Parsed()
        now = utc_now()
        async for line, values in _in_slices(records):
            try:
                candidate = self._contact_of(line, values, now)
                parsed.candidates.append(candidate)
                parsed.rows[candidate.contact_id] = (line, values)
            except RowError as error:
                parsed.errors.append({"line": line, "reason": str(error), "values": values[:50]})
        return parsed

    async def write(self, parsed: "_Parsed") -> BatchOutcome:
        outcome = BatchOutcome()
        now = utc_now()
        candidates, errors = await self._with_registered_tags(parsed, now)
        existing, taken, stale = await self._existing(candidates)
        pending = _Pending()
        batch_ids = {candidate.contact_id for candidate in candidates}
        # This job's own contacts among this batch's ids come from an earlier attempt at
        # this batch (a crash before its checkpoint): they count as created, once more.
        already_created = {
            contact.contact_id for contact, job_id in existing if job_id == self._job["_id"] and contact.contact_id in batch_ids
        }
        # ... and their events may not have been queued before that crash.
        await self._contacts.queue_events(
            [(contact, _created_events(contact)) for contact, _ in existing if contact.contact_id in already_created]
        )
        known = {contact.contact_id for contact, _ in existing if contact.contact_id not in already_created}
        for contact, _ in existing:
            if contact.contact_id not in already_created:
                _index(pending, contact)
        final: dict[str, str] = {}  # each row's contact: its own id, or the one it merged into
        for candidate in candidates:
            if candidate.contact_id in already_created:
                outcome.created += 1
                _index(pending, candidate)
                final[candidate.contact_id] = candidate.contact_id
                continue
            # The same row of the same file imported before (a re-upload) is that contact.
            target = candidate.contact_id if candidate.contact_id in known else _match(pending, candidate)
            final[candidate.contact_id] = target or candidate.contact_id
            if target is None:
                pending.new[candidate.contact_id] = candidate
                _index(pending, candidate)
                outcome.created += 1
            elif target in pending.new:
                try:
                    refuse_past_contact_limit(pending.new[target].tags, candidate.tags, allowed=self._ports.tag_limits.per_contact)
                except TagLimitReached as error:
                    errors.append(parsed.error(candidate, f"tags: {error}"))
                    continue
                pending.new[target].merge_import(candidate, tags=candidate.tags, actor=self._actor, now=now)
                _index(pending, pending.new[target])
                outcome.merged += 1
            else:
                pending.merges.setdefault(target, []).append(candidate)
                outcome.merged += 1
        await self._contacts.repoint(self._new_owners(candidates, final, taken, stale))
        refused = await self._write(pending, now)
        outcome.merged -= len(refused)
        errors += [parsed.error(row, f"tags: {error}") for row, error in refused]
        await self._jobs.add_errors(self._job["_id"], errors)
        outcome.failed = len(errors)
        return outcome

    async def _with_registered_tags(self, parsed: "_Parsed", now) -> tuple[list[Contact], list[dict[str, Any]]]:
        """The rows with their tags spelled as the account spells them, the tags new to the
        account registered (a batch's at once), and the rows' errors: a row needing a tag the
        account has no room for (tags_per_account) is one."""
        names = list(dict.fromkeys(tag for candidate in parsed.candidates for tag in custom_tags(candidate.tags)))
        unseen = [name for name in names if name not in self._spelled]
        if unseen:
            self._spelled.update(await self._ports.tags.canonical(self._account_id, unseen))
        for candidate in parsed.candidates:
            candidate.tags = list(dict.fromkeys(self._spelled.get(tag, tag) for tag in candidate.tags))
        to_register = [name for name in dict.fromkeys(self._spelled[name] for name in names) if name not in self._ensured]
        if to_register:
            limit = self._ports.tag_limits.per_account
            self._ensured |= await self._ports.tags.ensure_within(self._account_id, to_register, now=now, limit=limit)
        kept, errors = [], list(parsed.errors)
        for candidate in parsed.candidates:
            lacking = [tag for tag in custom_tags(candidate.tags) if tag not in self._ensured]
            if lacking:
                limit = self._ports.tag_limits.per_account
                errors.append(parsed.error(candidate, (
                    f"tags: the account may have at most {limit} tags (tags_per_account); "
                    f"no room for {len(lacking)} new: {', '.join(lacking[:5])}"
                )))
            else:
                kept.append(candidate)
        return kept, errors

    async def _existing(self, candidates: list[Contact]) -> tuple[list[tuple[Contact, str | None]], set[str], set[str]]:
        """The live contacts the batch's rows may already be (and the job that created
        each), the keys already taken, and those of them found stale. The batch's keys
        are claimed first, each for the row it would merge into within the batch; the
        keys already taken name the contacts to read, each checked against what it still
        has: a stale key (its contact deleted, or without that number or email now)
        matches nothing and is pointed at the row's contact."""
        self._claimed = {}
        leaders = _leaders(candidates)
        for candidate in candidates:
            leader = leaders[candidate.contact_id]
            keys = keys_of(candidate)
            if leader == candidate.contact_id:
                keys.append(row_key(self._account_id, leader))
            for key in keys:
                self._claimed.setdefault(key, leader)
        taken = await self._contacts.claim_keys(self._claimed)
        owners = await self._contacts.owners(taken)
        existing = await self._contacts.live(self._account_id, set(owners.values()))
        by_id = {contact.contact_id: contact for contact, _ in existing}
        stale = {key for key in taken if key not in owners or owners[key] not in by_id or not answers_to(by_id[owners[key]], key)}
        return existing, taken, stale

    def _new_owners(self, candidates: list[Contact], final: dict[str, str], taken: set[str], stale: set[str]) -> dict[str, str]:
        """Keys this batch claimed whose row ended up in another contact (an existing one
        it merged into), and stale keys: each pointed at the contact that now has it."""
        owners: dict[str, str] = {}
        for candidate in candidates:
            for key in keys_of(candidate):
                owners.setdefault(key, final[candidate.contact_id])
        return {
            key: owner for key, owner in owners.items()
            if key in stale or (key not in taken and self._claimed.get(key) != owner)
        }

    def _contact_of(self, line: int, values: list[str], now) -> Contact:
        if len(values) == 1 and values[0].startswith("\0"):
            raise RowError(f"unreadable CSV: {values[0][1:]}")
        row = read_row(self._mapping, line, values)
        try:
            refuse_past_contact_limit([], row.tags, allowed=self._ports.tag_limits.per_contact)
        except TagLimitReached as error:
            raise RowError(f"tags: {error}") from error
        try:
            phones = parse_phone_inputs(row.phones, region=self._region)
            return Contact.create(
                contact_id=imported_contact_id(self._account_id, self._job["sha256"], line),
                account_id=self._account_id,
                first_name=row.first_name,
                last_name=row.last_name,
                emails=row.emails,
                address=row.address or None,
                phones=phones,
                tags=[tag for tag in dict.fromkeys(row.tags) if tag not in ("Wrong Number", "Opt-In")],
                custom_fields=row.custom_fields,
                owner_user_id=row.owner_user_id,
                notes=row.notes,
                opted_out={},
                new_phone_id=self._ports.new_phone_id,
                actor=self._actor,
                now=now,
            )
        except InvalidContact as error:
            raise RowError(reason_of(error, row)) from error

    async def _write(self, pending: _Pending, now) -> list[tuple[Contact, TagLimitReached]]:
        """Insert the new contacts, merge rows into existing ones; the rows refused because
        the contact they merge into would carry too many tags."""
        opted_out = await self._ports.opt_outs.opted_out(
            self._account_id, sorted({phone.e164 for contact in pending.new.values() for phone in contact.phones})
        )
        to_insert = []
        for contact in pending.new.values():
            contact.pull_events()
            _apply_registry_opt_outs(contact, opted_out)
            to_insert.append((contact, _created_events(contact)))
        await self._contacts.add_many(to_insert, job_id=self._job["_id"])
        refused: list[tuple[Contact, TagLimitReached]] = []
        for contact_id, rows in pending.merges.items():
            over: list[tuple[Contact, TagLimitReached]] = []

            def merge(contact: Contact, rows=rows, over=over) -> None:
                over.clear()  # a clash starts again from the newer contact
                for row in rows:
                    try:
                        refuse_past_contact_limit(contact.tags, row.tags, allowed=self._ports.tag_limits.per_contact)
                    except TagLimitReached as error:
                        over.append((row, error))
                        continue
                    contact.merge_import(row, tags=row.tags, actor=self._actor, now=self._ports.clock())
            try:
                await _apply(self._ports, self._account_id, contact_id, merge)
            except Exception as error:  # deleted meanwhile: the rows are lost to nobody's harm
                log.warning("import %s: merge into %s failed: %s", self._job["_id"], contact_id, error)
            refused += over
        return refused


def _created_events(contact: Contact) -> list[Envelope]:
    """The contact's created event, under an id of its own: queued again after a crash,
    it is the same event (consumers deduplicate by id)."""
    contact._events.append(ContactCreated(contact=contact.snapshot()))
    return [
        event.model_copy(update={"id": uuid5(NAMESPACE_URL, f"{event.type}:{contact.contact_id}").hex})
        if isinstance(event.data, ContactCreated) else event
        for event in _envelopes(contact)
    ]


def _apply_registry_opt_outs(contact: Contact, opted_out) -> None:
    """A number that unsubscribed from this account stays unsubscribed when imported."""
    for phone in contact.phones:
        record = opted_out.get(phone.e164)
        if record is not None:
            phone.opted_out, phone.opt_out, phone.consent_changed_at = True, record, record.at


def _leaders(candidates: list[Contact]) -> dict[str, str]:
    """Each row's contact within the batch alone, by the merge rule: its own id, or that
    of the earlier row it merges into."""
    pending = _Pending()
    leaders: dict[str, str] = {}
    for candidate in candidates:
        leader = _match(pending, candidate) or candidate.contact_id
        leaders[candidate.contact_id] = leader
        for phone in candidate.phones:
            pending.by_number.setdefault(phone.e164, leader)
        for email in candidate.emails:
            pending.by_email.setdefault(email.casefold(), leader)
    return leaders


def _index(pending: _Pending, contact: Contact) -> None:
    for phone in contact.phones:
        pending.by_number.setdefault(phone.e164, contact.contact_id)
    for email in contact.emails:
        pending.by_email.setdefault(email.casefold(), contact.contact_id)


def _match(pending: _Pending, candidate: Contact) -> str | None:
    """The merge rule's match: the first of the row's numbers already known, else the
    first of its emails."""
    for phone in candidate.phones:
        if phone.e164 in pending.by_number:
            return pending.by_number[phone.e164]
    for email in candidate.emails:
        if email.casefold() in pending.by_email:
            return pending.by_email[email.casefold()]
    return None
