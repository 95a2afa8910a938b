"""CSV that a spreadsheet opens without running anything: a cell that starts like a formula
(= + - @, a tab or a carriage return) gets a leading single quote, as OWASP recommends, so that
Excel, LibreOffice and Google Sheets show it as text."""

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers the product itself wrote as E.164, joined by ';': digits after each '+', nothing a
# spreadsheet could run, and quoting them would break their round trip through an import.
_E164_LIST = re.compile(r"\+\d{1,15}(;\+\d{1,15})*")


def neutralised(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def is_e164_list(cell: str) -> bool:
    return _E164_LIST.fullmatch(cell) is not None


def csv_bytes(rows: Iterable[Sequence[str]], *, e164_columns: frozenset[int] = frozenset()) -> bytes:
    """Rows as CSV; cells in `e164_columns` that are E.164 lists are kept as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(
        [cell if index in e164_columns and is_e164_list(cell) else neutralised(cell) for index, cell in enumerate(row)]
        for row in rows
    )
    return buffer.getvalue().encode()
