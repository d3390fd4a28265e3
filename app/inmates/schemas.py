"""The inmates API contract. ``InmateInSchema`` is also what the pages' forms
and the spreadsheet import validate with, so every entry point applies the
same field checks and the same rules (app/inmates/rules.py)."""

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.core.fields import Id, Integer
from app.core.plausible import Day, EventDay, ReleaseDay
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    CustodyStatus,
    EndReason,
    Fitness,
    LegalStatus,
    Regime,
    RiskReason,
    Sex,
    SkillSource,
)
from app.inmates.rules import inmate_problems
from policy.clock import today_in_kazakhstan
from policy.law import NEEDS_DOMAINS

STATUS_CHOICES = ("held", "released", "transferred", "any")


class Text(fields.String):
    """A string with surrounding blanks removed."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _enum(enum_cls: type, **kwargs: Any) -> fields.Enum:
    return fields.Enum(enum_cls, by_value=True, **kwargs)


class InmateInSchema(Schema):
    """An inmate's record as entered (create, full edit, one import row)."""

    file_number = Text(required=True, validate=validate.Length(min=1, max=32))
    last_name = Text(required=True, validate=validate.Length(min=1, max=100))
    first_name = Text(required=True, validate=validate.Length(min=1, max=100))
    middle_name = Text(load_default="", validate=validate.Length(max=100))
    birth_date = Day(required=True)
    sex = _enum(Sex, required=True)
    legal_status = _enum(LegalStatus, required=True)
    convicted_on = EventDay(load_default=None, allow_none=True)
    regime = _enum(Regime, required=True)
    conditions = _enum(Conditions, load_default=Conditions.ORDINARY)
    admission_date = EventDay(required=True)
    release_date = ReleaseDay(load_default=None, allow_none=True)
    fitness = _enum(Fitness, required=True)
    fitness_review_date = EventDay(load_default=None, allow_none=True)
    fitness_assessed_on = EventDay(
        load_default=None, allow_none=True, load_only=True,
        metadata={"description": "Date of the medical assessment (default: admission date "
                                 "on create, today on a change of fitness)."})
    disability_group = Integer(load_default=None, allow_none=True,
                                      validate=validate.Range(min=1, max=3))
    pregnant = fields.Boolean(load_default=False)
    education = Text(load_default="", validate=validate.Length(max=100))
    notes = Text(load_default="", validate=validate.Length(max=2000))

    @validates_schema
    def _rules(self, data: dict[str, Any], partial: Any = None, **kwargs: Any) -> None:
        if partial:  # a partial change is checked once merged with the stored record
            return
        problems = inmate_problems(data)
        if problems:
            raise ValidationError(problems)


class InmatePatchSchema(InmateInSchema):
    """Any subset of the fields; rules are checked on the merged record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class InmateSchema(Schema):
    id = Integer()
    institution_id = Id()
    file_number = fields.String()
    last_name = fields.String()
    first_name = fields.String()
    middle_name = fields.String()
    full_name = fields.String()
    birth_date = fields.Date()
    sex = _enum(Sex)
    legal_status = _enum(LegalStatus)
    convicted_on = fields.Date(allow_none=True)
    regime = _enum(Regime)
    conditions = _enum(Conditions)
    admission_date = fields.Date()
    release_date = fields.Date(allow_none=True)
    status = _enum(CustodyStatus)
    left_on = fields.Date(allow_none=True)
    fitness = _enum(Fitness)
    fitness_review_date = fields.Date(allow_none=True)
    disability_group = Integer(allow_none=True)
    pregnant = fields.Boolean()
    education = fields.String()
    notes = fields.String()


class InmateTradeSchema(Schema):
    id = Integer()
    code = fields.String()
    name_en = fields.String()
    name_ru = fields.String()


class SkillInSchema(Schema):
    trade_id = Id(required=True)
    level = Integer(required=True, validate=validate.Range(min=1, max=3))
    source = _enum(SkillSource, load_default=SkillSource.DECLARED)


class SkillSchema(Schema):
    id = Integer()
    trade = fields.Nested(InmateTradeSchema)
    level = Integer()
    source = _enum(SkillSource)
    recorded_on = fields.Date()


class CertificateInSchema(Schema):
    trade_id = Id(required=True)
    number = Text(load_default="", validate=validate.Length(max=64))
    issued_on = Day(required=True)
    issuer = Text(load_default="", validate=validate.Length(max=200))


class CertificateSchema(Schema):
    id = Integer()
    trade = fields.Nested(InmateTradeSchema)
    number = fields.String()
    issued_on = fields.Date()
    issuer = fields.String()
    course_id = Id(allow_none=True)


class WishInSchema(Schema):
    trade_id = Id(required=True)


class ConsentInSchema(Schema):
    kind = _enum(ConsentKind, required=True)
    given_on = EventDay(load_default=today_in_kazakhstan)
    document_ref = Text(load_default="", validate=validate.Length(max=100))


class ConsentSchema(Schema):
    id = Integer()
    kind = _enum(ConsentKind)
    given_on = fields.Date()
    withdrawn_on = fields.Date(allow_none=True)
    document_ref = fields.String()
    has_scan = fields.Function(lambda c: c.scan is not None, metadata={
        "description": "The signed consent's scan is kept: GET .../consents/<id>/scan."})


class WithdrawInSchema(Schema):
    withdrawn_on = EventDay(load_default=today_in_kazakhstan)


class AssessmentInSchema(Schema):
    fitness = _enum(Fitness, required=True)
    assessed_on = EventDay(load_default=today_in_kazakhstan)
    review_date = EventDay(load_default=None, allow_none=True)
    notes = Text(load_default="", validate=validate.Length(max=300))


class AssessmentSchema(Schema):
    id = Integer()
    fitness = _enum(Fitness)
    assessed_on = fields.Date()
    review_date = fields.Date(allow_none=True)
    notes = fields.String()
    has_scan = fields.Function(lambda m: m.scan is not None, metadata={
        "description": "The medical paper's scan is kept: GET .../assessments/<id>/scan "
                       "(officers and prosecutors only)."})


class SeparationInSchema(Schema):
    other_inmate_id = Id(required=True)
    reason = Text(load_default="", validate=validate.Length(max=300))


class SeparationSchema(Schema):
    id = Integer()
    other_inmate_id = Id()
    other_name = fields.String()
    reason = fields.String()
    created_on = fields.Date()


class ReleaseInSchema(Schema):
    released_on = Day(load_default=today_in_kazakhstan)


class TransferInSchema(Schema):
    institution_id = Id(required=True)
    transferred_on = Day(load_default=today_in_kazakhstan)
    regime = _enum(Regime, load_default=None, allow_none=True)


class CustodyPeriodSchema(Schema):
    institution_id = Id()
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    end_reason = _enum(CustodyStatus, allow_none=True)


class PlacementHistorySchema(Schema):
    id = Integer()
    vacancy_id = Id()
    vacancy_title = fields.String(attribute="vacancy.title")
    employer_name = fields.String(attribute="vacancy.employer.name")
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    end_reason = _enum(EndReason, allow_none=True)
    weekly_hours = Integer()
    monthly_wage = Integer()


class EnrolmentHistorySchema(Schema):
    id = Integer()
    course_id = Id()
    course_title = fields.String(attribute="course.title")
    status = fields.String(attribute="status.value")
    enrolled_on = fields.Date()
    completed_on = fields.Date(allow_none=True)


class WhyNotEmployedSchema(Schema):
    state = fields.String(metadata={"description": "employed | no_run | proposed | "
                                                   "added_after_run | not_listed | unplaced"})
    run_id = Id(allow_none=True)
    run_as_of = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    text = fields.String()
    barred_by = fields.List(fields.Dict(), metadata={
        "description": "rule, reason (the rule's), explained (the one that applies to this "
                       "inmate, or empty), vacancies"})
    outscored_by = fields.List(fields.Dict(), metadata={
        "description": "vacancy (its title), own_score, winning_score (the lowest placed "
                       "there), positions"})


# --- R27-R30 ------------------------------------------------------------------------------


class RiskAssessmentInSchema(Schema):
    level = Text(required=True, validate=validate.Length(min=1, max=32), metadata={
        "description": "a level of the year's scale (settings: risk levels; by default "
                       "low, medium, high)"})
    assessed_on = EventDay(load_default=today_in_kazakhstan)
    reason = _enum(RiskReason, load_default=RiskReason.ADMISSION)
    needs = fields.List(fields.String(validate=validate.OneOf(NEEDS_DOMAINS)),
                        load_default=list, validate=validate.Length(max=len(NEEDS_DOMAINS)))
    notes = Text(load_default="", validate=validate.Length(max=500))


class RiskAssessmentSchema(Schema):
    id = Integer()
    assessed_on = fields.Date()
    level = fields.String()
    reason = _enum(RiskReason)
    needs = fields.List(fields.String())
    assessed_by = fields.String()
    notes = fields.String()


class IncidentInSchema(Schema):
    occurred_on = EventDay(load_default=today_in_kazakhstan)
    summary = Text(required=True, validate=validate.Length(min=3, max=300))


class IncidentSchema(Schema):
    id = Integer()
    occurred_on = fields.Date()
    summary = fields.String()


class BanInSchema(Schema):
    trade_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=50))
    starts_on = EventDay(required=True)
    ends_on = ReleaseDay(load_default=None, allow_none=True, metadata={
        "description": "the first day the ban no longer runs; none: the whole term"})
    decision_ref = Text(required=True, validate=validate.Length(min=1, max=200))
    notes = Text(load_default="", validate=validate.Length(max=500))


class BanSchema(Schema):
    id = Integer()
    trades = fields.List(fields.Nested(InmateTradeSchema))
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True, metadata={
        "description": "the first day the ban no longer runs"})
    decision_ref = fields.String()
    notes = fields.String()
    runs_today = fields.Boolean()


class FlagInSchema(Schema):
    flagged_on = EventDay(load_default=today_in_kazakhstan)
    document_ref = Text(load_default="", validate=validate.Length(max=100))


class FlagLiftInSchema(Schema):
    lifted_on = EventDay(load_default=today_in_kazakhstan)


class FlagPeriodSchema(Schema):
    id = Integer()
    flagged_on = fields.Date()
    lifted_on = fields.Date(allow_none=True)
    document_ref = fields.String()


class FlagSchema(Schema):
    """R29, restricted: officers of the institution and prosecutors only; every answer
    is audited."""

    flagged = fields.Boolean()
    history = fields.List(fields.Nested(FlagPeriodSchema))


class InmateDetailSchema(InmateSchema):
    employed = fields.Boolean()
    skills = fields.List(fields.Nested(SkillSchema))
    certificates = fields.List(fields.Nested(CertificateSchema))
    trade_wishes = fields.List(fields.Nested(InmateTradeSchema))
    consents = fields.List(fields.Nested(ConsentSchema))
    medical_assessments = fields.List(fields.Nested(AssessmentSchema))
    custody_periods = fields.List(fields.Nested(CustodyPeriodSchema))
    placements = fields.List(fields.Nested(PlacementHistorySchema))
    enrolments = fields.List(fields.Nested(EnrolmentHistorySchema))
    separations = fields.List(fields.Nested(SeparationSchema))
    why_not_employed = fields.Nested(WhyNotEmployedSchema)
    risk_level = fields.String(allow_none=True, metadata={
        "description": "R28: the level of the latest risk-and-needs assessment"})
    risk_assessment_due = fields.String(allow_none=True, metadata={
        "description": "R27: why an assessment is overdue, if it is"})
    risk_assessments = fields.List(fields.Nested(RiskAssessmentSchema))
    bans = fields.List(fields.Nested(BanSchema))
    scattered_flag = fields.Boolean(metadata={
        "description": "R29, restricted: present for the institution's officers and "
                       "prosecutors only, every answer audited"})


class InmateFilterSchema(Schema):
    """The registry's search and filters (page and API alike)."""

    class Meta:
        unknown = EXCLUDE

    q = Text(load_default="", validate=validate.Length(max=100))
    regime = _enum(Regime, load_default=None)
    fitness = _enum(Fitness, load_default=None)
    employed = fields.Boolean(load_default=None)
    release_within_months = Integer(load_default=None,
                                           validate=validate.Range(min=1, max=600))
    trade_id = Id(load_default=None)
    status = fields.String(load_default="held", validate=validate.OneOf(STATUS_CHOICES))
    page = Integer(load_default=1, validate=validate.Range(min=1))


class InmatePageSchema(Schema):
    items = fields.List(fields.Nested(InmateSchema))
    total = Integer()
    page = Integer()
    pages = Integer()
    page_size = Integer()


class SkillRowSchema(Schema):
    """One row of a skills spreadsheet."""

    file_number = Text(required=True, validate=validate.Length(min=1, max=32))
    trade = Text(required=True, validate=validate.Length(min=1, max=64),
                 metadata={"description": "Trade code, e.g. welder"})
    level = Integer(required=True, validate=validate.Range(min=1, max=3))
    source = _enum(SkillSource, load_default=SkillSource.DECLARED)


class ImportArgsSchema(Schema):
    kind = fields.String(load_default="inmates", validate=validate.OneOf(("inmates", "skills")))
    dry_run = fields.Boolean(load_default=True)


class UploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "A .csv or .xlsx file"})


class WithdrawResultSchema(Schema):
    consent = fields.Nested(ConsentSchema)
    ended_placement_ids = fields.List(Id())


class ImportProblemSchema(Schema):
    row = Integer()
    column = fields.String()
    problem = fields.String()


class ImportReportSchema(Schema):
    kind = fields.String()
    dry_run = fields.Boolean()
    committed = fields.Boolean()
    rows = Integer()
    to_create = Integer()
    to_update = Integer()
    problem_count = Integer(metadata={"description": "All problems found."})
    problems = fields.List(fields.Nested(ImportProblemSchema), metadata={
        "description": "The first 100 problems (each quotes at most 80 characters of a cell)."})
    message = fields.String()


def document_import(blp: Any) -> Any:
    """The API's documentation of an import: the report (200), or on 422 the report of
    the file's problems or the error that refused the request's fields."""

    def decorator(view: Any) -> Any:
        view = blp.alt_response(422, schema={"oneOf": [
            {"$ref": "#/components/schemas/ImportReport"}, {"$ref": "#/components/schemas/Error"}]},
            description="Problems found in the file (the report; nothing written), or the "
                        "request's fields refused (an error)")(view)
        return blp.response(200, ImportReportSchema)(view)

    return decorator


class FileFormatSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))
    kind = fields.String(load_default="inmates", validate=validate.OneOf(("inmates", "skills")))


def load_filters(args: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registry filters from a query string; a bad value is dropped (and
    reported) rather than failing the whole page. An empty field means "any"
    (the page's own Filter button sends every field, filled or not)."""
    schema = InmateFilterSchema()
    args = {key: value for key, value in args.items() if value.strip() != ""}
    try:
        return schema.load(args), {}
    except ValidationError as error:
        errors = error.messages if isinstance(error.messages, dict) else {}
        kept = {key: value for key, value in args.items() if key not in errors}
        return schema.load(kept), errors


class ExportArgsSchema(InmateFilterSchema, FileFormatSchema):
    """The registry filters and the file format."""
