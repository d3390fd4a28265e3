"""Tables as CSV or XLSX downloads, shared by every export.

Text that a spreadsheet would run as a formula gets a leading apostrophe, so a
name typed as ``=HYPERLINK(...)`` stays text (the imports strip it again).
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from enum import Enum
from typing import Any

import openpyxl
from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


CELL_TYPES = (str, int, float, Decimal, date, time)  # what openpyxl writes (datetime is a date)


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet cell: enums as their value, anything else openpyxl
    cannot write (a lazy translation, say) as its text, formulas guarded."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, CELL_TYPES):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Cyrillic


def write_xlsx(header: Iterable[str], rows: Iterable[Iterable[Any]],
               help_rows: Iterable[Iterable[str]] = ()) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    help_rows = list(help_rows)
    if help_rows:
        notes = workbook.create_sheet("help")
        for row in help_rows:
            notes.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_table(file_format: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    return (write_csv if file_format == "csv" else write_xlsx)(header, rows)


def download(content: bytes, file_format: str, name: str) -> Response:
    """``content`` as an attachment ``name.<file_format>``."""
    response = Response(content, content_type=MIMETYPES[file_format])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def document_download(blp: Any, *, xlsx_only: bool = False) -> Any:
    """The API's documentation of a :func:`download`: a CSV or XLSX file (200), or
    an XLSX file only."""
    binary = {"type": "string", "format": "binary"}
    if xlsx_only:
        return blp.response(200, schema=binary, content_type=MIMETYPES["xlsx"],
                            description="The file (XLSX)")
    description = "The file, CSV (UTF-8) or XLSX as `format` asks"

    def decorator(view: Any) -> Any:
        view = blp.alt_response(200, schema=binary, content_type=MIMETYPES["xlsx"],
                                description=description, success=True)(view)
        return blp.response(200, schema=binary, content_type="text/csv",
                            description=description)(view)

    return decorator
