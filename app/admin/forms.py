from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from app.core.forms import CheckboxesField
from app.core.labels import LABELS, choices_for
from app.core.numbers import NumberField, WholeNumberField
from app.core.vocabulary import EmployerKind, InstitutionKind, Regime, Role
from policy.law import MEDIUM_CONDITIONS, VOLUNTARY_GROUPS


class RegionForm(FlaskForm):
    name = StringField(_l("Region name"), validators=[DataRequired(), Length(max=120)])


class InstitutionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("For example AK-159/18"))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    region_id = SelectField(_l("Region"), coerce=int, validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=choices_for(InstitutionKind))
    regime = SelectField(_l("Regime"), choices=choices_for(Regime))
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    runs_kiosks = BooleanField(_l("Runs kiosks"), description=_l(
        "Inmates sign in at a kiosk to see their own work, pay, applications and plan"))


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices_for(Role))
    institution_id = SelectField(_l("Institution (officers)"), coerce=int, validators=[Optional()])
    employer_id = SelectField(_l("Business (employers)"), coerce=int, validators=[Optional()])
    region_id = SelectField(_l("Region (prosecutors; empty for the whole country)"), coerce=int,
                            validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10)])


class TradeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64),
                                                Regexp(r"^[a-z0-9_]+$", message=_l(
                                                    "lower-case letters, digits and _ only"))])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    name_ru = StringField(_l("Name (Russian)"), validators=[DataRequired(), Length(max=200)])
    name_kk = StringField(_l("Name (Kazakh)"), validators=[Optional(), Length(max=200)])
    isco_code = StringField(_l("ISCO-08 unit group"), validators=[
        DataRequired(), Regexp(r"^[0-9]{4}$", message=_l("must be 4 digits"))])
    active = BooleanField(_l("Active"), default=True)


def _hours(label):
    return WholeNumberField(label, validators=[DataRequired(), NumberRange(min=1, max=60)])


def _weight(label):
    return WholeNumberField(label, validators=[Optional(), NumberRange(min=0, max=1000)], default=0)


class SettingsForm(FlaskForm):
    target_percent = NumberField(
        _l("Target employment rate in percent of those able to work (R1)"),
        places=1, validators=[DataRequired(), NumberRange(min=0.1, max=100)])
    min_monthly_wage = WholeNumberField(_l("Minimum monthly wage, tenge (R10)"),
                                    validators=[DataRequired(), NumberRange(min=1)])
    full_time_hours = _hours(_l("Full-time hours a week (R10)"))
    max_hours_adult = _hours(_l("Maximum hours a week, adult (R9)"))
    max_hours_disabled = _hours(_l("Maximum hours a week, disability groups I–II (R9)"))
    max_hours_juvenile_16 = _hours(_l("Maximum hours a week, age 16–17 (R6)"))
    max_hours_juvenile_14 = _hours(_l("Maximum hours a week, age 14–15 (R6)"))
    pension_age_men = NumberField(_l("Pension age, men (R4)"), places=1,
                                   validators=[DataRequired(), NumberRange(min=50, max=75)])
    pension_age_women = NumberField(_l("Pension age, women (R4)"), places=1,
                                     validators=[DataRequired(), NumberRange(min=50, max=75)])
    outside_medium_conditions = CheckboxesField(
        _l("Medium-regime conditions allowed to work outside the perimeter (R8)"),
        choices=[(c, LABELS[c]) for c in MEDIUM_CONDITIONS],
        description=_l("Minimum regime always may; maximum and extraordinary never."))
    voluntary_groups = CheckboxesField(
        _l("Voluntary-only groups: work only with their consent (R4)"),
        choices=[(g, LABELS[g]) for g in VOLUNTARY_GROUPS])
    risk_levels = StringField(
        _l("Risk levels, lowest first, separated by commas (R27, R28)"),
        validators=[DataRequired(), Length(max=200)])
    risk_assessment_days = WholeNumberField(
        _l("Days after admission to assess risk and needs (R27)"),
        validators=[DataRequired(), NumberRange(min=1, max=365)])
    risk_review_months = WholeNumberField(
        _l("Months between reviews of risk and needs (R27)"),
        validators=[DataRequired(), NumberRange(min=1, max=60)])
    unassessed_highest_outside = BooleanField(
        _l("A person not yet assessed counts as the highest level outside the perimeter (R28)"))
    scattered_cap = WholeNumberField(
        _l("Flagged persons a workplace and shift takes at most (R29)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        description=_l("An institution may set its own."))
    bans_run_in_prison = BooleanField(_l("Court bans on an activity run during the term (R30)"))
    weight_skill = _weight(_l("Weight: skill match"))
    weight_certificate = _weight(_l("Weight: certificate match"))
    weight_wish = _weight(_l("Weight: trade wish"))
    weight_recent_training = _weight(_l("Weight: recent training"))
    weight_release_time = _weight(_l("Weight: time before release"))
    weight_wage = _weight(_l("Weight: wage"))
    application_answer_days = WholeNumberField(
        _l("Days within which every application is answered (R31)"),
        validators=[DataRequired(), NumberRange(min=1, max=90)], default=10)


class YearForm(FlaskForm):
    year = WholeNumberField(_l("Year"),
                            validators=[DataRequired(), NumberRange(min=2015, max=2100)])


class EmployerForm(FlaskForm):
    """An employer created by an administrator (state enterprise, institution services...)."""

    kind = SelectField(_l("Kind"), choices=choices_for(EmployerKind))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    bin_iin = StringField(_l("BIN or IIN"), validators=[Optional(), Length(max=12)],
                          description=_l("12 digits; not needed for an institution's services"))
    institution_id = SelectField(_l("Institution (for its own services)"), coerce=int,
                                 validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])


class RefusalForm(FlaskForm):
    reason = StringField(_l("Reason for the refusal"), validators=[DataRequired(),
                                                                   Length(max=500)])
