from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.labels import LABELS, choices_for
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
    return IntegerField(label, validators=[DataRequired(), NumberRange(min=1, max=60)])


def _weight(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=1000)], default=0)


class CheckboxesField(SelectMultipleField):
    """A choice of several values shown as checkboxes, not a Ctrl-click list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SettingsForm(FlaskForm):
    target_percent = DecimalField(
        _l("Target employment rate in percent of those able to work (R1)"),
        places=1, validators=[DataRequired(), NumberRange(min=0.1, max=100)])
    min_monthly_wage = IntegerField(_l("Minimum monthly wage, tenge (R10)"),
                                    validators=[DataRequired(), NumberRange(min=1)])
    full_time_hours = _hours(_l("Full-time hours a week (R10)"))
    max_hours_adult = _hours(_l("Maximum hours a week, adult (R9)"))
    max_hours_disabled = _hours(_l("Maximum hours a week, disability groups I–II (R9)"))
    max_hours_juvenile_16 = _hours(_l("Maximum hours a week, age 16–17 (R6)"))
    max_hours_juvenile_14 = _hours(_l("Maximum hours a week, age 14–15 (R6)"))
    pension_age_men = DecimalField(_l("Pension age, men (R4)"), places=1,
                                   validators=[DataRequired(), NumberRange(min=50, max=75)])
    pension_age_women = DecimalField(_l("Pension age, women (R4)"), places=1,
                                     validators=[DataRequired(), NumberRange(min=50, max=75)])
    outside_medium_conditions = CheckboxesField(
        _l("Medium-regime conditions allowed to work outside the perimeter (R8)"),
        choices=[(c, LABELS[c]) for c in MEDIUM_CONDITIONS],
        description=_l("Minimum regime always may; maximum and extraordinary never."))
    voluntary_groups = CheckboxesField(
        _l("Voluntary-only groups: work only with their consent (R4)"),
        choices=[(g, LABELS[g]) for g in VOLUNTARY_GROUPS])
    weight_skill = _weight(_l("Weight: skill match"))
    weight_certificate = _weight(_l("Weight: certificate match"))
    weight_wish = _weight(_l("Weight: trade wish"))
    weight_recent_training = _weight(_l("Weight: recent training"))
    weight_release_time = _weight(_l("Weight: time before release"))
    weight_wage = _weight(_l("Weight: wage"))


class YearForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=2015, max=2100)])


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
