"""Page forms. They render fields and carry the CSRF token; the values are
validated by the API's marshmallow schemas (``app.core.forms.submit_form``), so a
page, the API and the spreadsheet import refuse the same input with the same messages."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField

from app.core.forms import CheckboxesField
from app.core.labels import LABELS, choices_for
from app.core.scans import MAX_SCAN_BYTES
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    Fitness,
    LegalStatus,
    Regime,
    RiskReason,
    Sex,
    SkillSource,
)
from policy.law import NEEDS_DOMAINS

DATE = {"type": "date"}
SCAN_MB = MAX_SCAN_BYTES // (1024 * 1024)


def choices(enum_cls: type, blank: str | None = None) -> list[tuple[str, str]]:
    options = choices_for(enum_cls)
    return ([("", blank)] if blank is not None else []) + options


def date_field(label: Any) -> StringField:
    """A date typed by the browser's date picker, parsed by the schema."""
    return StringField(label, render_kw=DATE)


def select(label: Any, options: list[tuple[str, str]]) -> SelectField:
    return SelectField(label, choices=options, validate_choice=False)


class InmateForm(FlaskForm):
    file_number = StringField(_l("Personal file number"))
    last_name = StringField(_l("Last name"))
    first_name = StringField(_l("First name"))
    middle_name = StringField(_l("Middle name"))
    birth_date = date_field(_l("Birth date"))
    sex = select(_l("Sex"), choices(Sex))
    legal_status = select(_l("Legal status"), choices(LegalStatus))
    convicted_on = date_field(_l("Sentence in force since"))
    regime = select(_l("Regime"), choices(Regime))
    conditions = select(_l("Conditions"), choices(Conditions))
    admission_date = date_field(_l("Admission date"))
    release_date = date_field(_l("Expected release date"))
    fitness = select(_l("Medical fitness"), choices(Fitness))
    fitness_review_date = date_field(_l("Fitness review date"))
    fitness_assessed_on = date_field(_l("Fitness assessed on"))
    disability_group = select(_l("Disability group"),
                              [("", "—"), ("1", "I"), ("2", "II"), ("3", "III")])
    pregnant = BooleanField(_l("Pregnant"))
    education = StringField(_l("Education"))
    notes = TextAreaField(_l("Notes"))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or file number"))
    regime = select(_l("Regime"), choices(Regime, blank="—"))
    fitness = select(_l("Fitness"), choices(Fitness, blank="—"))
    employed = select(_l("Employed"), [("", "—"), ("true", _l("yes")), ("false", _l("no"))])
    release_within_months = StringField(_l("Release within (months)"),
                                        render_kw={"inputmode": "numeric", "size": 4})
    trade_id = select(_l("Has skill"), [])
    status = select(_l("Status"), [("held", _l("held")), ("released", _l("released")),
                                   ("transferred", _l("transferred")), ("any", _l("any"))])


class SkillForm(FlaskForm):
    trade_id = select(_l("Trade"), [])
    level = select(_l("Level"), [("1", "1"), ("2", "2"), ("3", "3")])
    source = select(_l("Source"), choices(SkillSource))


class CertificateForm(FlaskForm):
    trade_id = select(_l("Trade"), [])
    number = StringField(_l("Number"))
    issued_on = date_field(_l("Issued on"))
    issuer = StringField(_l("Issuer"))


class WishForm(FlaskForm):
    trade_id = select(_l("Trade"), [])


class ConsentForm(FlaskForm):
    kind = select(_l("Consent"), choices(ConsentKind))
    given_on = date_field(_l("Given on"))
    document_ref = StringField(_l("Document reference"))
    # Not ``scan``: the medical form on the same page has one too, and ids are unique.
    consent_scan = FileField(_l("Scan of the signed consent (PDF, JPEG or PNG, at most "
                                "%(mb)d MB)", mb=SCAN_MB))


class WithdrawForm(FlaskForm):
    withdrawn_on = date_field(_l("Withdrawn on"))


class AssessmentForm(FlaskForm):
    fitness = select(_l("Medical fitness"), choices(Fitness))
    assessed_on = date_field(_l("Assessed on"))
    review_date = date_field(_l("Review date"))
    notes = StringField(_l("Notes"))
    medical_scan = FileField(_l("Scan of the medical paper (PDF, JPEG or PNG, at most "
                                "%(mb)d MB)", mb=SCAN_MB))


class SeparationForm(FlaskForm):
    other_file_number = StringField(_l("Keep apart from (file number)"))
    reason = StringField(_l("Reason"))


class ReleaseForm(FlaskForm):
    released_on = date_field(_l("Released on"))


class TransferForm(FlaskForm):
    institution_id = select(_l("To institution"), [])
    transferred_on = date_field(_l("Transferred on"))
    regime = select(_l("Regime there"), choices(Regime, blank=_l("unchanged")))


class ImportForm(FlaskForm):
    kind = select(_l("What the file holds"), [("inmates", _l("Inmates")),
                                               ("skills", _l("Skills"))])
    file = FileField(_l("CSV or XLSX file"))


# --- R27-R30 (their values validated by the API's schemas, as the other forms) ---------------


class RiskAssessmentForm(FlaskForm):
    level = select(_l("Risk level"), [])  # the year's scale, filled by the view
    assessed_on = date_field(_l("Assessed on"))
    reason = select(_l("Reason"), choices(RiskReason))
    needs = CheckboxesField(_l("Needs"), choices=[(d, LABELS[d]) for d in NEEDS_DOMAINS])
    notes = StringField(_l("Notes"))


class IncidentForm(FlaskForm):
    occurred_on = date_field(_l("Occurred on"))
    summary = StringField(_l("What happened"))


class BanForm(FlaskForm):
    trade_ids = SelectMultipleField(_l("Trades the ban covers"), choices=[],
                                    validate_choice=False)
    starts_on = date_field(_l("Ban starts on"))
    ends_on = date_field(_l("First day the ban no longer runs"))
    decision_ref = StringField(_l("Court decision"))
    notes = StringField(_l("Notes"))


class FlagForm(FlaskForm):
    flagged_on = date_field(_l("Flagged from"))
    document_ref = StringField(_l("Document reference"))


class FlagLiftForm(FlaskForm):
    lifted_on = date_field(_l("Not flagged from"))
