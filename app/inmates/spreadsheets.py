"""Spreadsheet import and export of inmates and skills (CSV and XLSX).

Import validates every row with the same schema and rules as the form and the
API, reports every bad row (row number, column, problem), and writes only
when the whole file is clean: one transaction, all or nothing. A personal file
number already in the institution updates that inmate instead of adding one.
It reads the institution's records once and writes in bulk (no query per row).

The work is bounded, not only the bytes: a file is read row by row (XLSX in
openpyxl's read-only mode, ignoring the sheet's declared dimensions, so a cell at
AZ1000000 costs one row, not a million), a page or API import takes at most
``IMPORT_MAX_ROWS`` rows (20,000 by default; larger files go through
``flask import-inmates``, which reads in chunks of ``CHUNK_ROWS``), an XLSX may
unpack to at most ``XLSX_MAX_UNPACKED_BYTES``, a cell holds at most
``MAX_CELL_CHARS`` characters and no NUL, the report lists the first
``MAX_PROBLEMS_SHOWN`` problems with their total count, and no problem quotes more
than ``EXCERPT_CHARS`` characters of a cell.
"""

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError
from openpyxl import load_workbook
from openpyxl.worksheet._reader import WorkSheetParser
from sqlalchemy.orm import selectinload

from app.core import tables
from app.core.audit import record_bulk_creates
from app.core.bulk import GrowingTables
from app.core.errors import RuleViolation
from app.core.i18n import translate_messages
from app.core.labels import field_label, label
from app.core.models import utcnow
from app.core.vocabulary import (
    Conditions,
    Fitness,
    LegalStatus,
    Regime,
    Sex,
    SkillSource,
)
from app.extensions import db
from app.inmates.models import CustodyPeriod, Inmate, InmateSkill, MedicalAssessment
from app.inmates.operations import (
    RECORD_FIELDS,
    apply_update,
    employed,
    new_inmate_values,
    opening_history_values,
    prepare_update,
    refused_changes,
)
from app.inmates.rules import check_r6_juvenile_institution
from app.inmates.schemas import InmateInSchema, SkillRowSchema
from app.institutions.models import Institution
from app.taxonomy.models import Trade
from policy.clock import today_in_kazakhstan

INMATE_COLUMNS = (*RECORD_FIELDS, "fitness_assessed_on")
SKILL_COLUMNS = ("file_number", "trade", "level", "source")
COLUMNS = {"inmates": INMATE_COLUMNS, "skills": SKILL_COLUMNS}
EXPORT_ONLY_COLUMNS = ("status", "left_on", "employed", "skills")
REQUIRED = {
    "inmates": ("file_number", "last_name", "first_name", "birth_date", "sex", "legal_status",
                "regime", "admission_date", "fitness"),
    "skills": ("file_number", "trade", "level"),
}
ALLOWED_VALUES = {
    "sex": Sex, "legal_status": LegalStatus, "regime": Regime, "conditions": Conditions,
    "fitness": Fitness, "source": SkillSource,
}
HEADER_ROW = 1
IMPORT_MAX_ROWS = 20_000  # per page or API import; the app's IMPORT_MAX_ROWS setting
CHUNK_ROWS = 5_000  # rows checked at a time by the command-line import
UPDATE_FLUSH_ROWS = 2_000  # changed inmates written per flush
XLSX_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_CELL_CHARS = 2_000  # the longest text field (notes) is 2,000 characters
MAX_HEADER_COLUMNS = 200
MAX_PROBLEMS_SHOWN = 100
EXCERPT_CHARS = 80
Source = bytes | BinaryIO


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis when cut)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class Problem:
    row: int
    column: str
    problem: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    committed: bool = False
    too_many_rows: bool = False  # over the row limit of a page: import it as a job
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS_SHOWN

    def add(self, row: int, column: str, problem: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(Problem(row, excerpt(column), excerpt(problem, 300)))

    def add_errors(self, row: int, messages: Any, column: str = "row") -> None:
        """Flatten marshmallow's {field: [message]} into problems."""
        if isinstance(messages, dict):
            for name, inner in messages.items():
                self.add_errors(row, inner, "row" if name == "_schema" else str(name))
        elif isinstance(messages, list | tuple):
            for message in messages:
                self.add_errors(row, message, column)
        else:
            self.add(row, column, str(translate_messages(messages)))

    @property
    def message(self) -> str:
        if self.problem_count > len(self.problems):
            return _("%(num)d problems found; the first %(shown)d are listed. Nothing was "
                     "written. Correct the file and upload it again.",
                     num=self.problem_count, shown=len(self.problems))
        if self.problems:
            return ngettext("%(num)d problem found; nothing was written. Correct the rows "
                            "listed and upload the file again.",
                            "%(num)d problems found; nothing was written. Correct the rows "
                            "listed and upload the file again.", self.problem_count)
        if self.committed:
            return _("Imported: %(added)s added, %(updated)s updated.",
                     added=self.to_create, updated=self.to_update)
        return _("The file is valid: %(added)s to add, %(updated)s to update.",
                 added=self.to_create, updated=self.to_update)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"message": self.message}


class UnreadableFile(Exception):
    """The upload is not a CSV or XLSX file this import can read."""


# --- reading files -------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """A cell as the text the schema parses: dates in ISO form, 12.0 as 12."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return text_cell(str(value))


def _stream(source: Source) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def _csv_encoding(stream: BinaryIO) -> str:
    """UTF-8 when the whole file decodes as UTF-8 (checked in blocks), else Windows-1251
    (Excel's "CSV" on Russian Windows)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while block := stream.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1251"
    finally:
        stream.seek(0)


def _csv_rows(source: Source) -> Iterator[list[str]]:
    stream = _stream(source)
    text = io.TextIOWrapper(stream, encoding=_csv_encoding(stream), newline="")
    try:
        first_line = text.readline()
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        yield from csv.reader(itertools.chain([first_line], text), delimiter=delimiter)
    finally:
        text.detach()


def _check_unpacked_size(stream: BinaryIO, limit: int | None) -> None:
    """Refuse a workbook that unpacks to more than ``limit`` bytes (a zip bomb: a
    few kilobytes holding a 50-million-character cell). zipfile stops reading a
    member at its declared size, so the declared sizes bound the work."""
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnreadableFile("is not a readable XLSX workbook") from error
    finally:
        stream.seek(0)
    if limit is not None and sum(member.file_size for member in members) > limit:
        raise UnreadableFile(f"unpacks to more than {limit // (1024 * 1024)} MB: "
                             "split it into smaller files")


def _xlsx_rows(source: Source, unpacked_limit: int | None) -> Iterator[tuple[int, list]]:
    """(row number, values) of the first sheet's rows that exist, read as the XML
    streams by. The declared dimensions are ignored and nothing is padded: a gap of a
    million missing rows costs nothing, and a row keeps only the first
    ``MAX_HEADER_COLUMNS`` columns (a lone cell at XFD1 allocates no 16,384 cells).
    openpyxl's read-only sheet would pad both; its own row parser is used instead."""
    stream = _stream(source)
    _check_unpacked_size(stream, unpacked_limit)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        raise UnreadableFile("is not a readable XLSX workbook") from error
    try:
        if not workbook.worksheets:
            raise UnreadableFile("has no sheet")
        sheet = workbook.worksheets[0]
        with sheet._get_source() as xml:
            parser = WorkSheetParser(xml, sheet._shared_strings, data_only=True,
                                     epoch=workbook.epoch,
                                     date_formats=workbook._date_formats,
                                     timedelta_formats=workbook._timedelta_formats)
            for number, cells in parser.parse():
                width = min(MAX_HEADER_COLUMNS + 1,
                            max((cell["column"] for cell in cells), default=0))
                values: list = [None] * width
                for cell in cells:
                    if cell["column"] <= width:
                        values[cell["column"] - 1] = cell["value"]
                yield number, values
    finally:
        workbook.close()


def text_cell(text: str) -> str:
    """A CSV cell: blanks trimmed, the export's formula guard undone."""
    text = text.strip()
    if text[:1] == "'" and text[1:2] in tables.FORMULA_STARTS:
        return text[1:]
    return text


def read_table(filename: str, source: Source, unpacked_limit: int | None = XLSX_MAX_UNPACKED_BYTES
               ) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the rows of a CSV or XLSX file, one row at a time."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        for number, row in enumerate(_csv_rows(source), start=1):
            yield number, [text_cell(value) for value in row]
    elif extension == "xlsx":
        for number, row in _xlsx_rows(source, unpacked_limit):
            yield number, [cell_text(value) for value in row]
    else:
        raise UnreadableFile("must be a .csv or .xlsx file")


# Columns with no stored field of that name (app/core/labels.py names the others).
COLUMN_LABELS = {"trade": _l("Trade"), "fitness_assessed_on": _l("Medical assessment date")}


def column_heading(name: str) -> str:
    """A template column's heading in the user's language ("Birth date", "Дата рождения")."""
    return str(COLUMN_LABELS[name]) if name in COLUMN_LABELS else field_label(name)


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


@cache
def _headings() -> dict[str, str]:
    """Each column's heading in every language of the app (and its own name), as the
    header of a file is read: a template downloaded in Kazakh is imported by an
    officer who reads Russian."""
    found = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            for name in {*INMATE_COLUMNS, *SKILL_COLUMNS, *EXPORT_ONLY_COLUMNS}:
                found[_normal(column_heading(name))] = name
    return found | {_normal(name): name for name in {*INMATE_COLUMNS, *SKILL_COLUMNS,
                                                      *EXPORT_ONLY_COLUMNS}}


def _header_name(text: str) -> str:
    return _headings().get(_normal(text), text.strip().lower().replace(" ", "_"))


Records = list[tuple[int, dict[str, str]]]
READ_ERRORS = (UnreadableFile, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError,
               ValueError, OSError, EOFError)


def read_records(kind: str, filename: str, source: Source, report: ImportReport, *,
                 max_rows: int | None = IMPORT_MAX_ROWS, chunk_rows: int | None = None,
                 unpacked_limit: int | None = XLSX_MAX_UNPACKED_BYTES,
                 ) -> tuple[set[str], Iterator[Records]]:
    """The template columns the header names, and the non-blank data rows as
    (row number, {column: text}) in chunks of ``chunk_rows`` (all in one chunk when
    None). Header, cell and reading problems go to ``report``; a file of more than
    ``max_rows`` rows gives one problem and no rows."""
    return read_columns(filename, source, report, COLUMNS[kind], REQUIRED[kind],
                        ignored=EXPORT_ONLY_COLUMNS, max_rows=max_rows, chunk_rows=chunk_rows,
                        unpacked_limit=unpacked_limit)


def read_columns(filename: str, source: Source, report: ImportReport, columns: Iterable[str],
                 required: Iterable[str], *, ignored: Iterable[str] = (),
                 max_rows: int | None = IMPORT_MAX_ROWS, chunk_rows: int | None = None,
                 unpacked_limit: int | None = XLSX_MAX_UNPACKED_BYTES,
                 ) -> tuple[set[str], Iterator[Records]]:
    """:func:`read_records` for any template: ``columns`` are read, ``ignored`` ones
    are accepted and skipped, ``required`` ones must be in the header."""
    table = read_table(filename, source, unpacked_limit)
    try:
        header = [_header_name(h) for h in next(table, (HEADER_ROW, []))[1]]
    except READ_ERRORS as error:
        report.add(0, "file", _read_problem(error))
        return set(), iter(())
    columns = set(columns)
    known = columns | set(ignored)
    if len(header) > MAX_HEADER_COLUMNS and any(header[MAX_HEADER_COLUMNS:]):
        report.add(HEADER_ROW, "row", f"has more than {MAX_HEADER_COLUMNS} columns")
    for name in header[:MAX_HEADER_COLUMNS]:
        if name and name not in known:
            report.add(HEADER_ROW, name, "is not a column of the template")
    for name in required:
        if name not in header:
            report.add(HEADER_ROW, name, "column is missing")
    if report.problem_count:
        table.close()
        return set(), iter(())
    wanted = [(i, name) for i, name in enumerate(header) if name in columns]
    records = _data_rows(table, wanted, report)
    return {name for _i, name in wanted}, _chunks(records, report, max_rows, chunk_rows)


def _read_problem(error: Exception) -> str:
    if isinstance(error, UnreadableFile):
        return str(error)
    return excerpt(f"cannot be read: {error}", 200)


def _data_rows(table: Iterator[tuple[int, list[str]]], wanted: list[tuple[int, str]],
               report: ImportReport) -> Iterator[tuple[int, dict[str, str]]]:
    number = HEADER_ROW
    try:
        for number, cells in table:  # noqa: B007
            record = {name: cells[i] for i, name in wanted if i < len(cells) and cells[i] != ""}
            if record and _cells_usable(number, record, report):
                yield number, record
    except READ_ERRORS as error:
        # The reader cannot go past a row it could not parse (a cell over the CSV
        # reader's size limit, a stray quote): that row is the file's problem.
        report.add(number + 1, "row", _read_problem(error))
    finally:
        table.close()


def _cells_usable(number: int, record: dict[str, str], report: ImportReport) -> bool:
    """False (with the problems reported) for a row with a NUL character (which no
    database stores) or a cell longer than any field takes."""
    usable = True
    for name, text in record.items():
        if "\x00" in text:
            report.add(number, name, "contains a NUL character")
            usable = False
        elif len(text) > MAX_CELL_CHARS:
            report.add(number, name, f"is longer than {MAX_CELL_CHARS} characters: "
                                     f"«{excerpt(text)}»")
            usable = False
    return usable


def _chunks(records: Iterator[tuple[int, dict[str, str]]], report: ImportReport,
            max_rows: int | None, chunk_rows: int | None) -> Iterator[Records]:
    size = chunk_rows or (max_rows + 1 if max_rows is not None else None)
    total = 0
    try:
        while chunk := list(itertools.islice(records, size)):
            total += len(chunk)
            if max_rows is not None and total > max_rows:
                first_over = chunk[max_rows - (total - len(chunk))][0]
                report.too_many_rows = True
                report.add(first_over, "file",
                           f"has more than {max_rows} rows: split it into files of at most "
                           f"{max_rows} rows, or ask an administrator to import it with "
                           "`flask import-inmates`")
                return
            yield chunk
    finally:
        records.close()


def _load_rows(schema: Schema, records: list[tuple[int, dict[str, str]]], report: ImportReport
               ) -> list[tuple[int, dict[str, Any]]]:
    """Every row through ``schema`` in one call (much faster than row by row)."""
    try:
        loaded, errors = schema.load([record for _, record in records], many=True), {}
    except ValidationError as error:
        # Once any row has a field error, marshmallow skips the cross-field rules
        # of every row: check the other rows one by one (a bad file is the slow path).
        loaded, errors = [], dict(error.messages)
        for index, (_number, record) in enumerate(records):
            try:
                loaded.append(None if index in errors else schema.load(record, many=False))
            except ValidationError as row_error:
                loaded.append(None)
                errors[index] = row_error.messages
    rows = []
    for index, (number, _record) in enumerate(records):
        if index in errors:
            report.add_errors(number, errors[index])
        else:
            rows.append((number, loaded[index]))
    return rows


def _flag_duplicates(rows: list[tuple[int, dict[str, Any]]], key: Any, column: str,
                     what: str, report: ImportReport, first_seen: dict[Any, int]) -> None:
    """Rows repeating a key of an earlier row (``first_seen`` carries over chunks)."""
    for number, values in rows:
        value = key(values)
        if value in first_seen:
            report.add(number, column, f"{what} appears again (first in row {first_seen[value]})")
        first_seen.setdefault(value, number)


# --- importing inmates ---------------------------------------------------------------------

Progress = Callable[[ImportReport], None]


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file an import reads: the page and API use the defaults; the
    command line reads any number of rows, a chunk at a time, and reports progress."""

    max_rows: int | None = IMPORT_MAX_ROWS
    chunk_rows: int | None = None
    unpacked_limit: int | None = XLSX_MAX_UNPACKED_BYTES
    progress: Progress | None = None


WEB = ReadLimits()


def import_inmates(institution: Institution, filename: str, data: Source, *, dry_run: bool,
                   today: date | None = None, limits: ReadLimits | None = None) -> ImportReport:
    """New file numbers add inmates; known ones update only the columns the
    file has (a blank cell in such a column clears an optional field, as the
    form's blank field does; a column left out of the file is left alone).

    Read in chunks (``limits.chunk_rows``: the command line and jobs), each clean
    chunk is written as soon as it is checked, so that memory holds one chunk, not
    the file; once a problem is found nothing more is written, and the caller rolls
    back the transaction (``committed`` is False): all or nothing still."""
    today, limits = today or today_in_kazakhstan(), limits or WEB
    report = ImportReport("inmates", dry_run)
    columns, chunks = read_records("inmates", filename, data, report,
                                   max_rows=limits.max_rows, chunk_rows=limits.chunk_rows,
                                   unpacked_limit=limits.unpacked_limit)
    streaming = limits.chunk_rows is not None
    everyone = {} if streaming else _stored_inmates(institution)
    creates, updates, row_of, first_seen = [], [], {}, {}
    created = updated = 0
    schema = InmateInSchema()
    growing = GrowingTables(Inmate.__table__, CustodyPeriod.__table__,
                            MedicalAssessment.__table__)
    for records in chunks:
        report.rows += len(records)
        existing = _stored_inmates(institution, records) if streaming else everyone
        _complete_from_stored(records, columns, existing)
        rows = _load_rows(schema, records, report)
        _flag_duplicates(rows, lambda v: v["file_number"], "file_number",
                         "R15: the personal file number", report, first_seen)
        for number, values in rows:
            try:
                check_r6_juvenile_institution(values["birth_date"], institution.kind, today)
                inmate = existing.get(values["file_number"])
                if inmate is None:
                    creates.append(values)
                    continue
                given = {name: value for name, value in values.items() if name in columns}
                changed, assessed_on = prepare_update(inmate, given, today)
                if changed:
                    updates.append((inmate, changed, assessed_on))
                    row_of[inmate.id] = number
            except RuleViolation as violation:
                report.add(number, violation.field, violation.message)
            except ValidationError as error:
                report.add_errors(number, error.messages)
        if streaming:
            created, updated = created + len(creates), updated + len(updates)
            if _check_and_write(institution, creates, updates, row_of, report, today, dry_run):
                growing.wrote(len(creates))
            creates, updates, row_of = [], [], {}
        _report_progress(report, limits, created + len(creates), updated + len(updates))
    if not streaming:
        created, updated = len(creates), len(updates)
        _check_and_write(institution, creates, updates, row_of, report, today, dry_run)
    report.to_create, report.to_update = created, updated
    report.committed = not report.problem_count and not dry_run
    return report


def _stored_inmates(institution: Institution, records: Records | None = None
                    ) -> dict[str, Inmate]:
    """The institution's inmates by file number: all, or those ``records`` name."""
    query = sa.select(Inmate).where(Inmate.institution_id == institution.id)
    if records is not None:
        query = query.where(Inmate.file_number.in_(
            {record["file_number"] for _number, record in records if "file_number" in record}))
    return {inmate.file_number: inmate for inmate in db.session.scalars(query)}


def _check_and_write(institution: Institution, creates: list[dict[str, Any]],
                     updates: list[tuple[Inmate, dict[str, Any], date | None]],
                     row_of: dict[int, int], report: ImportReport, today: date,
                     dry_run: bool) -> bool:
    """Refuse the updates that would break a placement; write while all is clean
    (and say whether it wrote)."""
    _flag_broken_placements(updates, row_of, report, today)
    if report.problem_count or dry_run:
        return False
    _write_inmates(institution, creates, updates)
    return True


def _report_progress(report: ImportReport, limits: ReadLimits, creates: int,
                     updates: int) -> None:
    if limits.progress is not None:
        report.to_create, report.to_update = creates, updates
        limits.progress(report)


def _complete_from_stored(records: list[tuple[int, dict[str, Any]]], columns: set[str],
                          existing: dict[str, Inmate]) -> None:
    """Give a known inmate's row the stored values of the columns the file
    leaves out, so the schema checks the record as it will be (a convicted
    inmate keeps the date of the sentence the file does not repeat)."""
    absent = [name for name in RECORD_FIELDS if name not in columns]
    if not absent:
        return
    schema = InmateInSchema(only=absent)
    for _number, record in records:
        inmate = existing.get(record.get("file_number", ""))
        if inmate is not None:
            stored = schema.dump(inmate)
            record.update({name: value for name, value in stored.items()
                           if value not in ("", None)})


def _flag_broken_placements(updates: list[tuple[Inmate, dict[str, Any], date | None]],
                            row_of: dict[int, int], report: ImportReport, today: date) -> None:
    """The rows whose changes would make a placement the inmate holds illegal."""
    refused = refused_changes([(inmate, changed) for inmate, changed, _assessed_on in updates],
                              today)
    for inmate_id, (column, _rule, message) in refused.items():
        report.add(row_of[inmate_id], column, message)


def _write_inmates(institution: Institution, creates: list[dict[str, Any]],
                   updates: list[tuple[Inmate, dict[str, Any], date | None]]) -> None:
    """New inmates by bulk INSERT (with their opening history and audit
    entries, R18); changed ones through the ORM, audited on flush."""
    now = utcnow()
    inmate_rows = [new_inmate_values(institution.id, values) | {"created_at": now,
                                                                  "updated_at": now}
                   for values in creates]
    _bulk_insert(Inmate, inmate_rows, ("file_number",), sa.and_(
        Inmate.institution_id == institution.id,
        Inmate.file_number.in_([row["file_number"] for row in inmate_rows])))
    history = [opening_history_values(row["id"], institution.id, values)
               for row, values in zip(inmate_rows, creates, strict=True)]
    custody = [custody for custody, _ in history]
    if inmate_rows:  # each new inmate has exactly one custody period
        _bulk_insert(CustodyPeriod, custody, ("inmate_id",),
                     CustodyPeriod.inmate_id >= min(row["id"] for row in inmate_rows))
    assessments = [assessment for _, assessment in history]
    if inmate_rows:  # each new inmate has exactly one assessment
        first_new = min(row["id"] for row in inmate_rows)
        _bulk_insert(MedicalAssessment, assessments, ("inmate_id",),
                     MedicalAssessment.inmate_id >= first_new)
    for model, rows in ((Inmate, inmate_rows), (CustodyPeriod, custody),
                        (MedicalAssessment, assessments)):
        record_bulk_creates(model, rows, institution.id)
    # Flushed a chunk at a time: one flush of 20,000 changed inmates (their
    # UPDATE parameters and audit entries at once) would pass 200 MB.
    for start in range(0, len(updates), UPDATE_FLUSH_ROWS):
        for inmate, changed, assessed_on in updates[start:start + UPDATE_FLUSH_ROWS]:
            apply_update(inmate, changed, assessed_on)
        db.session.flush()


def _bulk_insert(model: Any, rows: list[dict[str, Any]], key: tuple[str, ...] = (),
                 where: Any = None) -> None:
    """INSERT ``rows`` in one executemany; when ``key`` (unique among the rows
    ``where`` selects) is given, read the new ids back into the rows in one
    query. RETURNING would be one statement per row on SQLite."""
    if not rows:
        return
    db.session.execute(model.__table__.insert(), rows)
    if not key:
        return
    columns = [getattr(model, name) for name in key]
    found = {tuple(found_key): found_id for found_id, *found_key in db.session.execute(
        sa.select(model.id, *columns).where(where))}
    for row in rows:
        row["id"] = found[tuple(row[name] for name in key)]


# --- importing skills ----------------------------------------------------------------------

def import_skills(institution: Institution, filename: str, data: Source, *, dry_run: bool,
                  today: date | None = None, limits: ReadLimits | None = None) -> ImportReport:
    today, limits = today or today_in_kazakhstan(), limits or WEB
    report = ImportReport("skills", dry_run)
    _columns, chunks = read_records("skills", filename, data, report,
                                    max_rows=limits.max_rows, chunk_rows=limits.chunk_rows,
                                    unpacked_limit=limits.unpacked_limit)
    # Loaded once and kept referenced: the audit of each skill finds its inmate here.
    inmates = {i.file_number: i for i in db.session.scalars(
        sa.select(Inmate).where(Inmate.institution_id == institution.id)
        .options(selectinload(Inmate.skills)))}
    trades = {t.code: t for t in db.session.scalars(sa.select(Trade).where(Trade.active))}
    changes, first_seen, schema = [], {}, SkillRowSchema()
    for records in chunks:
        report.rows += len(records)
        rows = _load_rows(schema, records, report)
        _flag_duplicates(rows, lambda v: (v["file_number"], v["trade"]), "trade",
                         "this inmate's trade", report, first_seen)
        for number, values in rows:
            inmate, trade = inmates.get(values["file_number"]), trades.get(values["trade"])
            if inmate is None:
                report.add(number, "file_number", "no inmate with this personal file number "
                                                  "in this institution")
            if trade is None:
                report.add(number, "trade", f"{excerpt(values['trade'])} is not a known "
                                            "trade code")
            if inmate is not None and trade is not None:
                changes.append((inmate, trade, values))
        _report_progress(report, limits, len(changes), 0)
    new, changed = _skill_changes(changes, today)
    report.to_create, report.to_update = len(new), len(changed)
    if not report.problem_count and not dry_run:
        _bulk_insert(InmateSkill, new, ("inmate_id", "trade_id"), InmateSkill.inmate_id.in_(
            sa.select(Inmate.id).where(Inmate.institution_id == institution.id)))
        record_bulk_creates(InmateSkill, new, institution.id)
        for skill, values in changed:
            skill.level, skill.source, skill.recorded_on = values["level"], values["source"], today
        db.session.flush()
        report.committed = True
    return report


def _skill_changes(changes: list[tuple[Inmate, Trade, dict[str, Any]]], today: date
                   ) -> tuple[list[dict[str, Any]], list[tuple[InmateSkill, dict[str, Any]]]]:
    new, changed = [], []
    for inmate, trade, values in changes:
        skill = next((s for s in inmate.skills if s.trade_id == trade.id), None)
        if skill is None:
            new.append({"inmate_id": inmate.id, "trade_id": trade.id, "level": values["level"],
                        "source": values["source"], "recorded_on": today})
        elif (skill.level, skill.source) != (values["level"], values["source"]):
            changed.append((skill, values))
    return new, changed


IMPORTERS = {"inmates": import_inmates, "skills": import_skills}


def run_import(kind: str, institution: Institution, filename: str, data: Source, *,
               dry_run: bool, limits: ReadLimits | None = None) -> ImportReport:
    return IMPORTERS[kind](institution, filename, data, dry_run=dry_run, limits=limits)


# --- writing files -------------------------------------------------------------------------

def template_help(kind: str) -> list[list[str]]:
    """One line per column, in the user's language: required or not, and the values
    allowed (the code to type, with what it means)."""
    lines = [[_("Column"), _("Required"), _("Allowed values")]]
    for name in COLUMNS[kind]:
        allowed = "; ".join(f"{m.value} ({label(m.value)})" for m in ALLOWED_VALUES[name]) \
            if name in ALLOWED_VALUES else ""
        if name.endswith(("_date", "_on")):
            allowed = _("date: YYYY-MM-DD or DD.MM.YYYY")
        lines.append([column_heading(name), label("yes" if name in REQUIRED[kind] else "no"),
                      allowed])
    return lines


def template(kind: str, file_format: str, headings: bool = True) -> bytes:
    """The empty template: headed in the user's language (``headings``; the import
    reads the headings of every language, and the columns' own names), or by the
    columns' names (the API's, for programs)."""
    header = [column_heading(name) if headings else name for name in COLUMNS[kind]]
    if file_format == "xlsx":
        return tables.write_xlsx(header, [], template_help(kind) if headings else ())
    return tables.write_csv(header, [])


def export_rows(query: sa.Select, today: date | None = None) -> Iterator[list[Any]]:
    """The template's inmate columns (so an export can be imported back), then
    status, departure, employed today and skills."""
    query = query.add_columns(employed(today or today_in_kazakhstan()).label("employed")).options(
        selectinload(Inmate.skills).joinedload(InmateSkill.trade))
    for inmate, is_employed in db.session.execute(query):
        skills = "; ".join(f"{s.trade.code}:{s.level}" for s in inmate.skills)
        yield [*(getattr(inmate, name) for name in RECORD_FIELDS), None,
               inmate.status, inmate.left_on, "yes" if is_employed else "no", skills]


def export(query: sa.Select, file_format: str) -> bytes:
    header = (*INMATE_COLUMNS, *EXPORT_ONLY_COLUMNS)
    rows = export_rows(query)
    return tables.write_table(file_format, header, rows)

