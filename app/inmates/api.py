"""The inmates JSON API: the same operations and rules as the pages.

Officers change their own institution's inmates (R16); prosecutors of the
region and administrators read; outside the scope an inmate is 404."""

from typing import Any

from flask import abort, request
from flask_login import current_user
from marshmallow import ValidationError

from app.core import scans, tables
from app.core.api import Blueprint
from app.core.auth import READERS, get_in_scope_or_404, roles_required
from app.core.transactions import discard_changes
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates import operations as ops
from app.inmates import papers, security, spreadsheets
from app.inmates.models import Inmate
from app.inmates.schemas import (
    AssessmentInSchema,
    AssessmentSchema,
    BanInSchema,
    BanSchema,
    CertificateInSchema,
    CertificateSchema,
    ConsentInSchema,
    ConsentSchema,
    ExportArgsSchema,
    FileFormatSchema,
    FlagInSchema,
    FlagLiftInSchema,
    FlagSchema,
    ImportArgsSchema,
    IncidentInSchema,
    IncidentSchema,
    InmateDetailSchema,
    InmateFilterSchema,
    InmateInSchema,
    InmatePageSchema,
    InmatePatchSchema,
    InmateSchema,
    ReleaseInSchema,
    RiskAssessmentInSchema,
    RiskAssessmentSchema,
    SeparationInSchema,
    SeparationSchema,
    SkillInSchema,
    SkillSchema,
    TransferInSchema,
    UploadSchema,
    WishInSchema,
    WithdrawInSchema,
    WithdrawResultSchema,
    document_import,
)
from app.inmates.views import scan_limit_message, upload_limit_message
from policy.clock import today_in_kazakhstan

blp = Blueprint("inmates_api", __name__, url_prefix="/api/inmates",
                description="The inmate registry of the caller's institution")



@blp.errorhandler(413)
def file_too_large(error: Exception):
    from app.core.errors import error_response

    if request.endpoint in scans.SCAN_ENDPOINTS:
        return error_response(413, "Request Entity Too Large", scan_limit_message(),
                              {"scan": [scan_limit_message()]})
    return error_response(413, "Request Entity Too Large", upload_limit_message(),
                          {"file": [upload_limit_message()]})


def detail(inmate: Inmate) -> dict[str, Any]:
    data = ops.profile(inmate) | security.profile_parts(inmate)
    record = {name: getattr(inmate, name) for name in InmateSchema().fields}
    return record | {key: value for key, value in data.items() if key != "inmate"}


def _inmate(inmate_id: int) -> Inmate:
    return get_in_scope_or_404(Inmate, inmate_id)


@blp.get("/")
@roles_required(*READERS)
@blp.arguments(InmateFilterSchema, location="query")
@blp.response(200, InmatePageSchema)
def list_inmates(filters: dict[str, Any]):
    """The registry: search, filters, 50 a page."""
    page = db.paginate(ops.filtered_inmates(filters), page=filters["page"],
                       per_page=ops.PAGE_SIZE, error_out=False)
    return {"items": page.items, "total": page.total, "page": page.page, "pages": page.pages,
            "page_size": ops.PAGE_SIZE}


class NewInmateSchema(InmateInSchema):
    """A new inmate of the caller's institution. When the record is refused, the
    checks against the stored records (a file number already used there: R15; an
    under-18 outside a juvenile institution: R6) join the answer, so it lists every
    problem at once, as the page does; alone they are the operation's 409."""

    def handle_error(self, error: ValidationError, data: Any, **kwargs: Any) -> None:
        valid = error.valid_data if isinstance(error.valid_data, dict) else {}
        found = ops.stored_record_problems(current_user.institution, valid)
        messages = error.messages if isinstance(error.messages, dict) else {
            "_schema": error.messages}
        merged = {name: [*_listed(messages.get(name)), *_listed(found.get(name))]
                  for name in {**messages, **found}}  # a field's own problem first
        raise ValidationError(merged, data=data, valid_data=error.valid_data)


def _listed(problems: Any) -> list[Any]:
    if problems is None:
        return []
    return problems if isinstance(problems, list) else [problems]


@blp.post("/")
@roles_required(Role.OFFICER)
@blp.arguments(NewInmateSchema)
@blp.response(201, InmateDetailSchema)
def create_inmate(values: dict[str, Any]):
    """Add an inmate, held from the admission date, with a first medical assessment."""
    inmate = ops.create_inmate(current_user.institution, values)
    return detail(inmate)


@blp.get("/<int:inmate_id>")
@roles_required(*READERS)
@blp.response(200, InmateDetailSchema)
def get_inmate(inmate_id: int):
    """The profile: skills, certificates, courses, consents, health, placements,
    separation and why the inmate is not employed (latest match run)."""
    return detail(_inmate(inmate_id))


@blp.patch("/<int:inmate_id>")
@roles_required(Role.OFFICER)
@blp.arguments(InmatePatchSchema)
@blp.response(200, InmateDetailSchema)
def update_inmate(changes: dict[str, Any], inmate_id: int):
    """Change fields; a change of fitness adds a medical assessment (R3)."""
    inmate = ops.update_inmate(_inmate(inmate_id), changes)
    return detail(inmate)


@blp.post("/<int:inmate_id>/release")
@roles_required(Role.OFFICER)
@blp.arguments(ReleaseInSchema)
@blp.response(200, InmateSchema)
def release(values: dict[str, Any], inmate_id: int):
    """Release: custody closed, active placements ended with reason ``released``."""
    inmate = _inmate(inmate_id)
    ops.release_inmate(inmate, values["released_on"])
    return inmate


@blp.post("/<int:inmate_id>/transfer")
@roles_required(Role.OFFICER)
@blp.arguments(TransferInSchema)
@blp.response(200, InmateSchema)
def transfer(values: dict[str, Any], inmate_id: int):
    """Transfer to another institution; placements ended with reason ``transferred``."""
    inmate = _inmate(inmate_id)
    ops.transfer_inmate(inmate, values["institution_id"], values["transferred_on"],
                        values.get("regime"))
    return inmate


@blp.post("/<int:inmate_id>/skills")
@roles_required(Role.OFFICER)
@blp.arguments(SkillInSchema)
@blp.response(201, SkillSchema)
def add_skill(values: dict[str, Any], inmate_id: int):
    """Record a skill (or change its level)."""
    skill = ops.set_skill(_inmate(inmate_id), values["trade_id"], values["level"],
                          values["source"])
    return skill


@blp.delete("/<int:inmate_id>/skills/<int:skill_id>")
@roles_required(Role.OFFICER)
@blp.response(204)
def remove_skill(inmate_id: int, skill_id: int):
    ops.remove_skill(ops.child_or_404(_inmate(inmate_id).skills, skill_id))


@blp.post("/<int:inmate_id>/certificates")
@roles_required(Role.OFFICER)
@blp.arguments(CertificateInSchema)
@blp.response(201, CertificateSchema)
def add_certificate(values: dict[str, Any], inmate_id: int):
    certificate = ops.add_certificate(_inmate(inmate_id), **values)
    return certificate


@blp.delete("/<int:inmate_id>/certificates/<int:certificate_id>")
@roles_required(Role.OFFICER)
@blp.response(204)
def remove_certificate(inmate_id: int, certificate_id: int):
    ops.remove_certificate(ops.child_or_404(_inmate(inmate_id).certificates, certificate_id))


@blp.post("/<int:inmate_id>/wishes")
@roles_required(Role.OFFICER)
@blp.arguments(WishInSchema)
@blp.response(204)
def add_wish(values: dict[str, Any], inmate_id: int):
    """Add a trade the inmate wishes to work in."""
    ops.add_wish(_inmate(inmate_id), values["trade_id"])


@blp.delete("/<int:inmate_id>/wishes/<int:trade_id>")
@roles_required(Role.OFFICER)
@blp.response(204)
def remove_wish(inmate_id: int, trade_id: int):
    if not ops.remove_wish(_inmate(inmate_id), trade_id):
        abort(404)


@blp.post("/<int:inmate_id>/consents")
@roles_required(Role.OFFICER)
@blp.arguments(ConsentInSchema)
@blp.response(201, ConsentSchema)
def give_consent(values: dict[str, Any], inmate_id: int):
    """Record a dated, voluntary consent (R4, R5) or a remand detainee's request (R2)."""
    consent = ops.give_consent(_inmate(inmate_id), **values)
    return consent


@blp.post("/<int:inmate_id>/consents/<int:consent_id>/withdraw")
@roles_required(Role.OFFICER)
@blp.arguments(WithdrawInSchema)
@blp.response(200, WithdrawResultSchema)
def withdraw_consent(values: dict[str, Any], inmate_id: int, consent_id: int):
    """Withdraw a consent; the placements it allowed end that day (R4, R5)."""
    consent = ops.child_or_404(_inmate(inmate_id).consents, consent_id)
    ended = ops.withdraw_consent(consent, values["withdrawn_on"])
    return {"consent": consent, "ended_placement_ids": [p.id for p in ended]}


@blp.post("/<int:inmate_id>/assessments")
@roles_required(Role.OFFICER)
@blp.arguments(AssessmentInSchema)
@blp.response(201, AssessmentSchema)
def add_assessment(values: dict[str, Any], inmate_id: int):
    """Record a medical assessment (R3); the latest is the current fitness."""
    assessment = ops.record_assessment(_inmate(inmate_id), **values)
    return assessment


# --- the papers' scans (app/inmates/papers.py) -----------------------------------------------

scans.takes_scans("inmates_api.attach_consent_scan", "inmates_api.attach_assessment_scan")


def _attached(records: list[Any], record_id: int, files: dict[str, Any]) -> Any:
    record = ops.child_or_404(records, record_id)
    papers.attach(record, scans.uploaded(files["scan"]) or scans.Scan("scan", b""),
                  current_user.id)
    return record


@blp.post("/<int:inmate_id>/consents/<int:consent_id>/scan")
@roles_required(Role.OFFICER)
@blp.arguments(scans.ScanInSchema, location="files")
@blp.response(200, ConsentSchema)
def attach_consent_scan(files: dict[str, Any], inmate_id: int, consent_id: int):
    """Attach (or replace) the scan of the signed consent (``multipart/form-data``, the
    file in ``scan``); 422 on ``scan`` for a file over the limit or not a PDF, JPEG or
    PNG, nothing kept."""
    return _attached(_inmate(inmate_id).consents, consent_id, files)


@blp.post("/<int:inmate_id>/assessments/<int:assessment_id>/scan")
@roles_required(Role.OFFICER)
@blp.arguments(scans.ScanInSchema, location="files")
@blp.response(200, AssessmentSchema)
def attach_assessment_scan(files: dict[str, Any], inmate_id: int, assessment_id: int):
    """Attach (or replace) the scan of the medical paper, as for a consent."""
    return _attached(_inmate(inmate_id).medical_assessments, assessment_id, files)


@blp.get("/<int:inmate_id>/consents/<int:consent_id>/scan")
@roles_required(*papers.CONSENT_PAPER_READERS)
@scans.document_download(blp)
def consent_scan(inmate_id: int, consent_id: int):
    """The signed consent's scan, as a file (``Content-Disposition: attachment``); 404
    when none is kept. The read is audited."""
    return papers.download(_inmate(inmate_id).consents, consent_id)


@blp.get("/<int:inmate_id>/assessments/<int:assessment_id>/scan")
@roles_required(*papers.MEDICAL_PAPER_READERS)
@scans.document_download(blp)
def assessment_scan(inmate_id: int, assessment_id: int):
    """The medical paper's scan: the institution's officers and the prosecutors only
    (administrators 403, as employers and partners); the read is audited."""
    return papers.download(_inmate(inmate_id).medical_assessments, assessment_id)


# --- R27-R30: risk and needs, incidents, the scattered model's flag, court bans --------------


@blp.get("/<int:inmate_id>/risk-assessments")
@roles_required(*READERS)
@blp.response(200, RiskAssessmentSchema(many=True))
def list_risk_assessments(inmate_id: int):
    """The person's risk-and-needs assessments, newest first (R27)."""
    return security.risk_assessments(_inmate(inmate_id))


@blp.post("/<int:inmate_id>/risk-assessments")
@roles_required(Role.OFFICER)
@blp.arguments(RiskAssessmentInSchema)
@blp.response(201, RiskAssessmentSchema)
def add_risk_assessment(values: dict[str, Any], inmate_id: int):
    """Record a risk-and-needs assessment (R27): a level of the year's scale (refused
    otherwise, 422 on ``level``) and needs by domain; the latest is the level at work
    (R28)."""
    return security.record_risk_assessment(_inmate(inmate_id), **values)


@blp.get("/<int:inmate_id>/incidents")
@roles_required(*READERS)
@blp.response(200, IncidentSchema(many=True))
def list_incidents(inmate_id: int):
    """Serious incidents recorded for the person (each makes an assessment due, R27)."""
    return security.incidents(_inmate(inmate_id))


@blp.post("/<int:inmate_id>/incidents")
@roles_required(Role.OFFICER)
@blp.arguments(IncidentInSchema)
@blp.response(201, IncidentSchema)
def add_incident(values: dict[str, Any], inmate_id: int):
    """Record a serious incident: the person's risk-and-needs assessment is due (R27)."""
    return security.record_incident(_inmate(inmate_id), **values)


@blp.get("/<int:inmate_id>/bans")
@roles_required(*READERS)
@blp.response(200, BanSchema(many=True))
def list_bans(inmate_id: int):
    """Court bans on activities (R30), newest first, each with whether it runs today."""
    return [security.ban_view(ban) for ban in security.bans(_inmate(inmate_id))]


@blp.post("/<int:inmate_id>/bans")
@roles_required(Role.OFFICER)
@blp.arguments(BanInSchema)
@blp.response(201, BanSchema)
def add_ban(values: dict[str, Any], inmate_id: int):
    """Record a court's ban (R30): the trades it covers, its start and the first day it no
    longer runs; refused (422) without a trade or the decision's reference, or with an end
    not after the start. While it runs, the person is never proposed or placed in those
    trades."""
    return security.ban_view(security.record_ban(_inmate(inmate_id), **values))


@blp.get("/<int:inmate_id>/flag")
@roles_required(Role.OFFICER, Role.PROSECUTOR)
@blp.response(200, FlagSchema)
def get_flag(inmate_id: int):
    """R29, restricted: whether the person is flagged under the scattered model, with the
    flag's history. Officers of the institution and prosecutors only (403 otherwise);
    every answer is written to the audit trail."""
    return security.show_flag(_inmate(inmate_id))


@blp.put("/<int:inmate_id>/flag")
@roles_required(Role.OFFICER)
@blp.arguments(FlagInSchema)
@blp.response(200, FlagSchema)
def set_flag(values: dict[str, Any], inmate_id: int):
    """Flag the person under the scattered model from a day (R29; 409 if already
    flagged then). The flag never bars anyone from work: a workplace and shift takes a
    set number of flagged persons at most."""
    inmate = _inmate(inmate_id)
    security.set_flag(inmate, **values)
    return security.show_flag(inmate)


@blp.post("/<int:inmate_id>/flag/lift")
@roles_required(Role.OFFICER)
@blp.arguments(FlagLiftInSchema)
@blp.response(200, FlagSchema)
def lift_flag(values: dict[str, Any], inmate_id: int):
    """Lift the flag in force from a day (409 if none)."""
    inmate = _inmate(inmate_id)
    security.lift_flag(inmate, **values)
    return security.show_flag(inmate)


@blp.post("/<int:inmate_id>/separations")
@roles_required(Role.OFFICER)
@blp.arguments(SeparationInSchema)
@blp.response(201, SeparationSchema)
def add_separation(values: dict[str, Any], inmate_id: int):
    """Keep two inmates of the institution apart (R14)."""
    inmate = _inmate(inmate_id)
    link = ops.add_separation(inmate, values["other_inmate_id"], values["reason"])
    other = link.inmate_b if link.inmate_a_id == inmate.id else link.inmate_a
    return {"id": link.id, "other_inmate_id": other.id, "other_name": str(other),
            "reason": link.reason, "created_on": link.created_on}


@blp.delete("/<int:inmate_id>/separations/<int:link_id>")
@roles_required(Role.OFFICER)
@blp.response(204)
def remove_separation(inmate_id: int, link_id: int):
    link = ops.find_separation(_inmate(inmate_id), link_id)
    if link is None:
        abort(404)
    ops.remove_separation(link)


# --- spreadsheets --------------------------------------------------------------------------

@blp.post("/import")
@roles_required(Role.OFFICER)
@blp.arguments(ImportArgsSchema, location="form")
@blp.arguments(UploadSchema, location="files")
@document_import(blp)
def import_file(args: dict[str, Any], files: dict[str, Any]):
    """Import a CSV or XLSX file of inmates or skills. ``dry_run`` (default true)
    only checks; otherwise the file is written whole or not at all."""
    upload = files["file"]
    report = spreadsheets.run_import(args["kind"], current_user.institution, upload.filename,
                                     upload.read(), dry_run=args["dry_run"])
    if report.committed:
        return report.as_dict()
    discard_changes()  # a dry run or a refused file writes nothing
    return report.as_dict(), 422 if report.problems else 200


@blp.get("/template")
@roles_required(*READERS)
@blp.arguments(FileFormatSchema, location="query")
@tables.document_download(blp)
def template(args: dict[str, Any]):
    """The empty spreadsheet with the exact columns the import reads."""
    content = spreadsheets.template(args["kind"], args["format"], headings=False)
    return tables.download(content, args["format"], f"{args['kind']}-template")


@blp.get("/export")
@roles_required(*READERS)
@blp.arguments(ExportArgsSchema, location="query")
@tables.document_download(blp)
def export(args: dict[str, Any]):
    """The filtered registry as CSV or XLSX (the import's columns, then status,
    employed and skills)."""
    content = spreadsheets.export(ops.filtered_inmates(args), args["format"])
    return tables.download(content, args["format"], f"inmates-{today_in_kazakhstan().isoformat()}")

