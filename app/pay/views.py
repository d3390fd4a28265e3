"""Pages of work and pay (thin: load the posted form with the API's schema, call
one operation, render). A refused action re-renders its page with 409/422, so
the request's transaction is rolled back."""

import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.core import tables
from app.core.auth import READERS, get_in_scope_or_404, roles_required, scoped
from app.core.errors import RuleViolation
from app.core.i18n import translate_messages
from app.core.numbers import parse_number, user_groups_with_comma
from app.core.templating import format_day, format_month, format_tenge
from app.core.transactions import discard_changes
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.pay import attendance, import_jobs, spreadsheets, violations
from app.pay import jobs as pay_jobs
from app.pay import operations as ops
from app.pay.models import WRIT_KINDS, Claim, ClaimKind, EntryKind, Timesheet
from app.pay.schemas import (
    AttendanceArgs,
    AttendanceQueryArgs,
    BulkArgs,
    ClaimIn,
    ConfirmPayrollArgs,
    CorrectArgs,
    DebitArgs,
    FillArgs,
    MonthArgs,
    OpenTimesheetArgs,
    PaySettingsIn,
    TimesheetImportArgs,
)
from app.vacancies.models import Vacancy
from policy import pay as law
from policy.clock import today_in_kazakhstan

bp = Blueprint("pay", __name__, url_prefix="/pay", template_folder="templates")

KEEPERS = (Role.OFFICER, Role.EMPLOYER)


def _month() -> date:
    try:
        return MonthArgs().load(request.args)["month"]
    except ValidationError:
        abort(422)


def _form(schema: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    raw = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    return schema.load({**raw, **(extra or {})})


def _flat(messages: Any, path: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"days.3.hours": [message]}."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, inner in messages.items():
            name = path if key in ("value", "_schema") else f"{path}.{key}".strip(".")
            for field, found in _flat(inner, name).items():
                flat.setdefault(field, []).extend(found)
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {path or "_schema": [str(m) for m in messages]}
    if isinstance(messages, list | tuple):
        return _flat(dict(enumerate(messages)), path)
    return {path or "_schema": [str(messages)]}


def _refused(render: Callable[..., Any], error: Exception) -> Any:
    """Re-render with the refusal's messages and its status: the request's
    transaction is rolled back (app/core/transactions.py), nothing is written."""
    if isinstance(error, RuleViolation):
        return render(errors=_flat(translate_messages(error.errors))), error.status_code
    return render(errors=_flat(translate_messages(error.messages))), 422  # type: ignore[attr-defined]


# --- the day's attendance and unlock list ------------------------------------------------

@bp.get("/attendance")
@roles_required(*READERS, Role.EMPLOYER)
def attendance_page():
    """The unlock list of a day (today when not named): who is due at which workshop
    and shift; keepers of timesheets mark each one present or absent. Printable."""
    try:
        args = AttendanceQueryArgs().load(request.args)
    except ValidationError as error:
        return _attendance(today_in_kazakhstan(), None,
                           _flat(translate_messages(error.messages))), 422
    return _attendance(args["day"] or today_in_kazakhstan(), args["institution_id"])


def _attendance(day: date, institution_id: int | None, errors: dict | None = None,
                typed: bool = False) -> str:
    """The page; ``typed``: a refused post shown as typed (nothing was saved), each
    refused person's row marked and named in the summary."""
    chooses = current_user.role in (Role.PROSECUTOR, Role.ADMIN)
    if chooses and institution_id is None:
        people, suspended = [], 0
    else:
        institution_id = attendance.institution_for(current_user, institution_id)
        people = attendance.unlock_list(day, institution_id, current_user)
        suspended = attendance.suspended_count(day, institution_id, current_user)
    names, anchors, row_errors = {}, {}, {}
    by_index = [int(v) for v in request.form.getlist("placement")] if typed else []
    for key, messages in (errors or {}).items():
        _marks, _dot, rest = key.partition(".")
        number = rest.partition(".")[0]
        if _marks == "marks" and number.isdigit() and int(number) < len(by_index):
            pid = by_index[int(number)]
            name = next((d.name for d in people if d.placement.id == pid), str(pid))
            anchors[name] = f"mark_{pid}"
            row_errors.setdefault(pid, []).extend(messages)
            names.setdefault(name, []).extend(messages)
        else:
            names.setdefault(key, []).extend(messages)
    institutions = db.session.scalars(scoped(Institution).order_by(Institution.code)).all() \
        if chooses else []
    return render_template(
        "pay/attendance.html", day=day, people=people, suspended=suspended,
        institution=db.session.get(Institution, institution_id) if institution_id else None,
        institutions=institutions, chooses=chooses, errors=names, anchors=anchors,
        row_errors=row_errors, typed=request.form if typed else None,
        reasons=attendance.reasons_for(current_user), working_day=law.due_at_work(day),
        has_come=day <= today_in_kazakhstan(), may_mark=current_user.role in KEEPERS,
        employer=current_user.role == Role.EMPLOYER)


def _posted_marks() -> list[dict[str, Any]]:
    """The rows posted, in the page's order: a row left unmarked is left out (its index
    still counts, so a refusal finds its row)."""
    marks = []
    for pid in request.form.getlist("placement"):
        choice = request.form.get(f"mark_{pid}", "")
        entry: dict[str, Any] = {"placement_id": pid, "present": choice == "present"}
        if choice not in ("present", "absent"):
            entry["skip"] = True
        if choice == "absent":
            entry["absence"] = request.form.get(f"absence_{pid}") or None
            entry["note"] = request.form.get(f"note_{pid}", "")
        marks.append(entry)
    return marks


@bp.post("/attendance")
@roles_required(*KEEPERS)
def mark_attendance():
    raw_day, raw_institution = request.form.get("day", ""), request.form.get("institution_id")
    try:
        args = AttendanceQueryArgs().load({"day": raw_day, **(
            {"institution_id": raw_institution} if raw_institution else {})})
        day = args["day"] or today_in_kazakhstan()
    except ValidationError as error:
        return _attendance(today_in_kazakhstan(), None,
                           _flat(translate_messages(error.messages))), 422
    posted = _posted_marks()
    wanted = [(n, {k: v for k, v in m.items() if k != "skip"})
              for n, m in enumerate(posted) if not m.get("skip")]
    if not wanted:
        return _attendance(day, args["institution_id"], {
            "marks": [_("Mark at least one person present or absent.")]}, typed=True), 422
    try:
        body = AttendanceArgs().load({"day": day.isoformat(), "marks": [m for _n, m in wanted]})
        attendance.mark_many(day, body["marks"], current_user)
    except (ValidationError, RuleViolation) as error:
        discard_changes()  # the marks that passed are not kept either: shown as typed
        messages = error.errors if isinstance(error, RuleViolation) else error.messages
        flat = _flat(translate_messages(messages))
        # the n-th mark sent is the row it came from
        rows = {f"marks.{i}.": f"marks.{n}." for i, (n, _m) in enumerate(wanted)}
        fixed = {}
        for key, found in flat.items():
            prefix = ".".join(key.split(".")[:2]) + "."
            fixed[rows.get(prefix, prefix) + key[len(prefix):] if prefix in rows else key] = found
        status = error.status_code if isinstance(error, RuleViolation) else 422
        return _attendance(day, args["institution_id"], fixed, typed=True), status
    flash(_("%(n)s marks saved.", n=len(wanted)), "success")
    return redirect(url_for(".attendance_page", day=day.isoformat(),
                            **({"institution_id": raw_institution} if raw_institution else {})))


# --- timesheets -------------------------------------------------------------------------

@bp.get("/timesheets")
@roles_required(*READERS, Role.EMPLOYER)
def timesheets():
    return _timesheets_page(_month())


def _timesheets_page(month: date, errors: dict | None = None, report: Any = None) -> str:
    rows = ops.month_overview(current_user, month)
    vacancies = sorted({(p.vacancy_id, title) for p, _name, title, _t in rows},
                       key=lambda v: v[1])
    return render_template("pay/timesheets.html", month=month, rows=rows, vacancies=vacancies,
                           errors=errors or {}, report=report,
                           may_keep=current_user.role in KEEPERS,
                           prev_month=law.previous_month(month),
                           next_month=law.next_month(month))


@bp.post("/timesheets/open")
@roles_required(*KEEPERS)
def open_timesheet():
    try:
        body = _form(OpenTimesheetArgs())
        placement = ops.placement_for(body["placement_id"], current_user)
        timesheet = ops.open_timesheet(placement, body["month"], current_user.id)
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _timesheets_page(_month(), errors), error)
    return redirect(url_for(".timesheet", timesheet_id=timesheet.id))


@bp.post("/timesheets/bulk")
@roles_required(*KEEPERS)
def bulk():
    try:
        body = _form(BulkArgs())
        vacancy = get_in_scope_or_404(Vacancy, body["vacancy_id"]) \
            if current_user.role == Role.EMPLOYER else db.session.scalar(
                sa.select(Vacancy).where(Vacancy.id == body["vacancy_id"],
                                         Vacancy.institution_id == current_user.institution_id))
        if vacancy is None:
            abort(404)
        filled = ops.bulk_fill(vacancy, body["month"], body["hours_per_day"], current_user.id)
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _timesheets_page(_month(), errors), error)
    flash(_("%(n)s timesheets filled.", n=len(filled)), "success")
    return redirect(url_for(".timesheets", month=body["month"].strftime("%Y-%m")))


@bp.post("/timesheets/approvals")
@roles_required(Role.OFFICER, Role.ADMIN)
def approve_month():
    """Book the month as a job (an officer's institution; an administrator's: the
    country); the job's page shows its progress, then how many were approved."""
    try:
        month = _form(ConfirmPayrollArgs())["month"]
        ops.confirmed_law(month.year)  # refused at once, not by the job
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _timesheets_page(_month(), errors), error)
    job = pay_jobs.submit_booking(current_user, month, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/timesheets/import")
@roles_required(*KEEPERS)
def import_file():
    upload = request.files.get("file")
    try:
        args = _form(TimesheetImportArgs())
    except ValidationError as error:
        return _refused(lambda errors: _timesheets_page(_month(), errors), error)
    if upload is None or not upload.filename:
        return _timesheets_page(args["month"], {"file": [_("Choose a file.")]}), 422
    if _size(upload) > import_jobs.JOB_FROM_BYTES:  # checked and written by a job
        job = import_jobs.submit_import(current_user, args["month"], upload.filename,
                                        upload.stream, dry_run=args["dry_run"],
                                        locale=str(get_locale()))
        return redirect(url_for("jobs.show", job_id=job.id))
    report = spreadsheets.run_import(current_user, args["month"], upload.filename, upload.read(),
                                     dry_run=args["dry_run"])
    if report.problems:
        return _timesheets_page(args["month"], report=report), 422
    flash(report.message, "success")
    return redirect(url_for(".timesheets", month=args["month"].strftime("%Y-%m")))


def _size(upload: Any) -> int:
    stream = upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


@bp.get("/timesheets/template.<any(csv, xlsx):file_format>")
@roles_required(*KEEPERS)
def template(file_format: str):
    month = _month()
    return tables.download(spreadsheets.template(current_user, month, file_format),
                           file_format, f"timesheets-{month:%Y-%m}")


EXTRAS = ("piece_rate", "bonus", "extras_note")  # the month's fields besides its days


def _by_day(errors: dict[str, list[str]], month_days: list[date]
            ) -> tuple[dict[str, list[str]], dict[str, str], dict[int, list[str]]]:
    """A refused day's problems named by its date and linked to its hours field
    ("days.3.hours" reads "3 Oct 2026" and leads to #hours_3), and the problems
    of each day by its number (the row shows them); others as they are."""
    named: dict[str, list[str]] = {}
    anchors: dict[str, str] = {field: field for field in EXTRAS}
    rows: dict[int, list[str]] = {}
    for key, messages in errors.items():
        _days, _dot, rest = key.partition(".")
        number = rest.partition(".")[0]
        if _days == "days" and number.isdigit() and 1 <= int(number) <= len(month_days):
            key = format_day(month_days[int(number) - 1])
            anchors[key] = f"hours_{number}"
            rows.setdefault(int(number), []).extend(messages)
        named.setdefault(key, []).extend(messages)
    return named, anchors, rows


def _typed_days() -> dict[str, dict[str, str]]:
    """The days as posted, every field as typed (blank ones too), to show again."""
    return {str(number): {kind: request.form.get(f"{kind}_{number}", "")
                          for kind in ("hours", "absence")} for number in range(1, 32)}


def _timesheet_page(timesheet: Timesheet, errors: dict | None = None,
                    typed: bool = False) -> str:
    """The month's sheet; ``typed``: a refused post, shown as the user typed it
    (nothing was saved), with the rows and fields in error marked."""
    month_days = law.month_days(timesheet.month)
    errors, anchors, row_errors = _by_day(errors or {}, month_days)
    employer = current_user.role == Role.EMPLOYER
    days = ops.employer_days(timesheet.days) if employer else timesheet.days
    extras = {field: getattr(timesheet, field) for field in EXTRAS}
    if typed:
        days = _typed_days()
        extras = {field: request.form.get(field, "") for field in EXTRAS}
    reasons = [r for r in law.ABSENCE_REASONS if not (employer and r in law.EMPLOYER_ABSENCE)]
    if employer:
        reasons += list(dict.fromkeys(law.EMPLOYER_ABSENCE.values()))
    versions = db.session.scalars(sa.select(Timesheet).where(
        Timesheet.placement_id == timesheet.placement_id, Timesheet.month == timesheet.month
    ).order_by(Timesheet.version.desc())).all()
    payslip = None if employer else ops.payslip_of(timesheet.id)
    return render_template(
        "pay/timesheet.html", timesheet=timesheet, days=days, reasons=reasons,
        month_days=list(enumerate(month_days, start=1)), extras=extras,
        days_come=law.days_come(timesheet.month, today_in_kazakhstan()),
        versions=versions, payslip=payslip, errors=errors, anchors=anchors,
        row_errors=row_errors,
        may_keep=current_user.role in KEEPERS, is_officer=current_user.role == Role.OFFICER)


@bp.get("/timesheets/<int:timesheet_id>")
@roles_required(*READERS, Role.EMPLOYER)
def timesheet(timesheet_id: int):
    return _timesheet_page(get_in_scope_or_404(Timesheet, timesheet_id))


def _posted_days() -> dict[str, Any]:
    days = {}
    for key, value in request.form.items():
        kind, _sep, number = key.partition("_")
        if kind in ("hours", "absence") and number.isdigit() and value:
            days.setdefault(number, {})[kind] = value
    return days


@bp.post("/timesheets/<int:timesheet_id>")
@roles_required(*KEEPERS)
def save_timesheet(timesheet_id: int):
    timesheet = get_in_scope_or_404(Timesheet, timesheet_id)
    try:
        body = FillArgs().load({"days": _posted_days(), **{
            k: request.form[k] for k in EXTRAS if request.form.get(k)}})
        days = body["days"]
        if current_user.role == Role.EMPLOYER:
            days = ops.days_from_employer(timesheet, days)
        ops.fill_timesheet(timesheet, days, piece_rate=body["piece_rate"], bonus=body["bonus"],
                           extras_note=body["extras_note"])
        if request.form.get("then") == "submit":
            ops.submit_timesheet(timesheet)
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _timesheet_page(
            get_in_scope_or_404(Timesheet, timesheet_id), errors, typed=True), error)
    flash(_("Submitted for approval.") if timesheet.status.value == "submitted"
          else _("Saved."), "success")
    return redirect(url_for(".timesheet", timesheet_id=timesheet.id))


ACTIONS: dict[str, tuple[tuple[Role, ...], Callable[[Timesheet], Any]]] = {
    "submit": (KEEPERS, ops.submit_timesheet),
    "return": ((Role.OFFICER,), ops.return_timesheet),
    "approve": ((Role.OFFICER,), lambda t: ops.approve_timesheet(t, current_user.id)),
    "correct": (KEEPERS, lambda t: ops.correct_timesheet(
        t, CorrectArgs().load({"reason": request.form.get("reason", "")})["reason"],
        current_user.id)),
}


@bp.get("/timesheets/<int:timesheet_id>/approve")
@roles_required(Role.OFFICER)
def approve_check(timesheet_id: int):
    """Check your answers before approving a month (it cannot be undone, only
    corrected): whose month, how much work, and what follows."""
    timesheet = get_in_scope_or_404(Timesheet, timesheet_id)
    back = url_for(".timesheet", timesheet_id=timesheet.id)
    if timesheet.status.value not in ("draft", "submitted"):
        return redirect(back)
    worked = sum(1 for day in timesheet.days.values() if Decimal(day.get("hours") or 0) > 0)
    consequences = [
        _("%(worker)s, %(vacancy)s, %(month)s: %(hours)s hours on %(days)s days.",
          worker=timesheet.inmate.full_name, vacancy=timesheet.placement.vacancy.title,
          month=format_month(timesheet.month), hours=format_decimal(timesheet.total_hours),
          days=worked),
        _("The month is locked: a change afterwards needs a correction, a new version with "
          "its reason."),
        _("The pay is worked out and booked to the worker's personal account, with the "
          "deductions and writs the law orders."),
    ]
    if timesheet.version > 1:
        consequences.append(_("It replaces version %(n)s, whose pay is reversed.",
                              n=timesheet.version - 1))
    return render_template(
        "confirm.html", form=None, title=_("Check before approving the month"),
        consequences=consequences, button=_("Approve the month"), back=back,
        action=url_for(".act", timesheet_id=timesheet.id, action="approve"))


@bp.post("/timesheets/<int:timesheet_id>/<any(submit, return, approve, correct):action>")
@roles_required(*KEEPERS)
def act(timesheet_id: int, action: str):
    roles, operation = ACTIONS[action]
    if current_user.role not in roles:
        abort(403)
    timesheet = get_in_scope_or_404(Timesheet, timesheet_id)
    try:
        result = operation(timesheet)
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _timesheet_page(
            get_in_scope_or_404(Timesheet, timesheet_id), errors), error)
    flash({"submit": _("Submitted for approval."), "return": _("Returned to draft."),
           "approve": _("Approved: the month is locked and the pay booked."),
           "correct": _("A new version is open for the correction.")}[action], "success")
    return redirect(url_for(".timesheet", timesheet_id=result.id))


# --- personal account and writs ----------------------------------------------------------

def _account_page(inmate: Inmate, errors: dict | None = None) -> str:
    view = ops.account_view(inmate.id)
    claims = db.session.scalars(sa.select(Claim).where(Claim.inmate_id == inmate.id)
                                .order_by(Claim.received_on, Claim.id)).all()
    return render_template("pay/account.html", inmate=inmate, account=view, claims=claims,
                           debit_kinds=ops.DEBIT_KINDS, claim_kinds=WRIT_KINDS,
                           errors=errors or {}, today=today_in_kazakhstan(),
                           is_officer=current_user.role == Role.OFFICER)


@bp.get("/inmates/<int:inmate_id>/account")
@roles_required(*READERS)
def account(inmate_id: int):
    """The personal account's statement (printable)."""
    return _account_page(get_in_scope_or_404(Inmate, inmate_id))


@bp.post("/inmates/<int:inmate_id>/account/<any(debit, claim):what>")
@roles_required(Role.OFFICER)
def account_change(inmate_id: int, what: str):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    try:
        if what == "debit":
            body = _form(DebitArgs())
            ops.book_debit(inmate, EntryKind(body["kind"]), body["amount"], body["booked_on"],
                           body["note"], current_user.id)
        else:
            ops.add_claim(inmate, **_form(ClaimIn()))
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _account_page(get_in_scope_or_404(Inmate, inmate_id),
                                                     errors), error)
    flash(_("Saved."), "success")
    return redirect(url_for(".account", inmate_id=inmate.id))


# --- payroll for employers --------------------------------------------------------------

def _payroll_page(month: date, errors: dict | None = None) -> str:
    """The employer's payroll of ``month``, with the months before and after and
    the institution of each worker (a business may work in several)."""
    view = ops.payroll_view(current_user.employer_id, month)
    ids = {row.payslip.institution_id for row in view["rows"]}
    institutions = {i.id: i for i in db.session.scalars(
        sa.select(Institution).where(Institution.id.in_(ids)))} if ids else {}
    return render_template("pay/payroll.html", month=month, errors=errors or {},
                           payroll=view, institutions=institutions,
                           prev_month=law.previous_month(month),
                           next_month=law.next_month(month))


@bp.get("/payroll")
@roles_required(Role.EMPLOYER)
def payroll():
    month = _month()
    if request.args.get("format") == "xlsx":
        return spreadsheets.payroll_download(current_user.employer_id, month)
    return _payroll_page(month)


@bp.get("/payroll/confirmation")
@roles_required(Role.EMPLOYER)
def payroll_check():
    """Check your answers before confirming a month's payment (recorded once,
    never withdrawn): how much, for whom, and what follows."""
    month = _month()
    view = ops.payroll_view(current_user.employer_id, month)
    back = url_for(".payroll", month=month.strftime("%Y-%m"))
    if not view["rows"] or view["confirmed_at"]:
        return redirect(back)
    consequences = [
        _("You state that %(total)s (gross) was paid for %(month)s for the %(n)s workers of "
          "the payroll.", total=format_tenge(view["total"]), month=format_month(month),
          n=len(view["rows"])),
        _("The confirmation is recorded with your name and cannot be withdrawn; a month's "
          "payroll is confirmed once."),
        _("A month approved but not confirmed as paid by the end of the next month is shown "
          "to prosecutors as work without pay."),
    ]
    return render_template(
        "confirm.html", form=None, title=_("Check before confirming the payment"),
        consequences=consequences, button=_("Confirm payment"), back=back,
        action=url_for(".confirm_payroll"), hidden={"month": month.strftime("%Y-%m")})


@bp.post("/payroll")
@roles_required(Role.EMPLOYER)
def confirm_payroll():
    try:
        month = _form(ConfirmPayrollArgs())["month"]
        ops.confirm_payroll(current_user.employer_id, month, current_user.id)
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _payroll_page(_month(), errors), error)
    flash(_("Payment confirmed."), "success")
    return redirect(url_for(".payroll", month=month.strftime("%Y-%m")))


# --- the year's pay settings -------------------------------------------------------------

MAX_RULE_ROWS = 20  # deduction kinds a page may post (there are six)


def _basis_points(percent: str) -> Any:
    """A percentage typed on the page in basis points, as the API takes them;
    anything else is passed on for the schema to refuse."""
    try:
        points = parse_number(percent, comma_groups=user_groups_with_comma()) * 100
    except ValueError:
        return percent
    return int(points) if points == points.to_integral_value() else percent


def _settings_body() -> tuple[dict[str, Any], list[int], dict[str, Any]]:
    """The posted page as the API's body (PaySettingsIn), the page row of each
    rule in the order given (a row without a kind is left out), and the values
    as typed (shown again on a refusal)."""
    form, rows = request.form, []
    count = form.get("rows", "")
    for row in range(min(int(count), MAX_RULE_ROWS) if count.isdigit() else 0):
        if not form.get(f"rules-{row}-kind"):
            continue
        order = form.get(f"rules-{row}-order", "")
        rows.append((int(order) if order.isdigit() else row + 1, row, {
            "kind": form[f"rules-{row}-kind"], "mode": form.get(f"rules-{row}-mode", ""),
            "percent_bp": _basis_points(form.get(f"rules-{row}-percent", ""))}))
    rows.sort(key=lambda found: found[:2])
    body = {"rules": [rule for _order, _row, rule in rows],
            "protected_bp": _basis_points(form.get("protected", "")),
            "timesheet_due_days": form.get("timesheet_due_days", "")}
    typed = {**body, "protected": form.get("protected", ""), "rules": [
        {**rule, "percent": form.get(f"rules-{row}-percent", "")} for _o, row, rule in rows]}
    return body, [row for _order, row, _rule in rows], typed


def _page_field(field: str, rows: list[int]) -> str:
    """The page's input id for a refused field of the body ("rules.1.percent_bp"
    -> "rules-<page row>-percent")."""
    parts = field.split(".")
    if parts[0] == "rules" and len(parts) == 3 and parts[1].isdigit() \
            and int(parts[1]) < len(rows):
        return f"rules-{rows[int(parts[1])]}-" + parts[2].replace("percent_bp", "percent")
    return {"protected_bp": "protected"}.get(parts[0], parts[0])


def _settings_page(year: int, errors: dict | None = None, values: Any = None) -> str:
    stored = ops.pay_settings_for(year)
    return render_template(
        "pay/settings.html", year=year, settings=stored, errors=errors or {},
        values=values or {"rules": stored.rules, "protected_bp": stored.protected_bp,
                          "timesheet_due_days": stored.timesheet_due_days},
        kinds=[*ops.RATE_KINDS, *(kind.value for kind in ClaimKind)],
        modes=(law.RATE, law.CLAIMS), payslips=ops.payslips_in_year(year))


@bp.get("/settings")
@roles_required(Role.ADMIN)
def this_years_settings():
    return redirect(url_for(".settings", year=today_in_kazakhstan().year))


@bp.get("/settings/<int:year>")
@roles_required(Role.ADMIN)
def settings(year: int):
    return _settings_page(year)


@bp.post("/settings/<int:year>")
@roles_required(Role.ADMIN)
def save_settings(year: int):
    """Change the year's deductions, protected share and late-timesheet window
    (loaded by the API's schema); the change waits for a new confirmation."""
    body, rows, typed = _settings_body()
    try:
        ops.save_pay_settings(year, **PaySettingsIn().load(body))
    except (ValidationError, RuleViolation) as error:
        return _refused(lambda errors: _settings_page(
            year, {_page_field(k, rows): v for k, v in errors.items()}, typed), error)
    flash(_("The pay settings of %(year)s are saved: confirm them before the first "
            "payroll.", year=year), "success")
    return redirect(url_for(".settings", year=year))


@bp.post("/settings/<int:year>/confirmation")
@roles_required(Role.ADMIN)
def confirm_settings(year: int):
    ops.confirm_pay_settings(year, current_user.id)
    flash(_("The pay settings of %(year)s are confirmed.", year=year), "success")
    return redirect(url_for(".settings", year=year))


# --- oversight ---------------------------------------------------------------------------

@bp.get("/compliance")
@roles_required(*READERS)
def compliance():
    """Pay compliance by institution and region, the month's violations with their
    evidence, and claims paid to victims over time."""
    month = _month()
    return render_template("pay/compliance.html", month=month,
                           report=violations.compliance(month, current_user),
                           found=violations.pay_violations(month, current_user),
                           checks=violations.CHECKS, paid=violations.claims_paid(current_user),
                           prev_month=law.previous_month(month), next_month=law.next_month(month))
