"""Forms of the entrepreneurs' portal. Field names match the operations' arguments,
so a RuleViolation's field lands on the right input."""

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import PasswordInput

from app.auth.operations import check_email_free, check_password_rule
from app.auth.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.core.errors import RuleViolation
from app.core.forms import CheckboxesField
from app.core.labels import choices_for
from app.core.numbers import WholeNumberField
from app.core.vocabulary import EmployerKind, Shift, Site
from app.extensions import db
from app.institutions.models import Institution
from app.taxonomy.models import trade_choices
from employers.operations import check_bin_iin

KIND_CHOICES = [(EmployerKind.PRIVATE_COMPANY.value, _l("Private company (BIN)")),
                (EmployerKind.SOLE_TRADER.value, _l("Sole trader (IIN)"))]
SITE_CHOICES = [(Site.INSIDE.value, _l("Inside the perimeter")),
                (Site.OUTSIDE.value, _l("Outside the perimeter"))]
SHIFT_CHOICES = choices_for(Shift)  # "day" here is a shift, not a date


class PasswordMixin:
    # A refused form keeps the passwords typed (only that user's page shows them again),
    # so fixing another field does not mean typing both again.
    password = PasswordField(_l("Password"), widget=PasswordInput(hide_value=False),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH,
                                                                 max=200)])
    password_again = PasswordField(_l("Password again"), widget=PasswordInput(hide_value=False),
                                   validators=[EqualTo("password",
                                                       message=_l("The passwords differ."))])

    # The password rule and a login already taken in the same round as the other
    # fields, so the page lists every problem at once.
    def validate_password(self, field: PasswordField) -> None:
        if not field.errors:  # a password too short is said once
            _as_form_error(lambda: check_password_rule(field.data or "", self.email.data))

    def validate_email(self, field: EmailField) -> None:
        _as_form_error(lambda: check_email_free(field.data or ""))


def _as_form_error(check: Callable[[], object]) -> None:
    """A rule's refusal as the field's own (WTForms') error."""
    try:
        check()
    except RuleViolation as error:
        raise ValidationError(error.message) from None


class RegistrationForm(PasswordMixin, FlaskForm):
    kind = SelectField(_l("Kind of business"), choices=KIND_CHOICES)
    bin_iin = StringField(_l("BIN or IIN"), validators=[DataRequired(), Length(max=12)])
    name = StringField(_l("Name of the business"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=300)])
    contact_person = StringField(_l("Contact person"),
                                 validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(min=5, max=40)])
    email = EmailField(_l("E-mail (your login)"), validators=[DataRequired(), Email()])

    def validate_bin_iin(self, field: StringField) -> None:
        """The number's check digit and uniqueness (R15) in the same round as the other
        fields, so the page lists every problem at once."""
        try:
            kind = EmployerKind(self.kind.data)
        except ValueError:  # an unknown kind: the kind field says so
            return
        _as_form_error(lambda: check_bin_iin(field.data or "", kind))


class ColleagueForm(PasswordMixin, FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail (login)"), validators=[DataRequired(), Email()])


def _id_or_none(value: object) -> int | None:
    """A picker's value: the blank option is no choice (refused as required), not a
    value that cannot be read."""
    return None if value in ("", None) else int(value)  # type: ignore[arg-type]


class VacancyForm(FlaskForm):
    """The fields of a vacancy, as on an edit; ``NewVacancyForm`` adds the institutions."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    trade_id = SelectField(_l("Trade"), coerce=_id_or_none, validators=[InputRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    site = SelectField(_l("Site"), choices=SITE_CHOICES)
    positions = WholeNumberField(_l("Positions"), validators=[InputRequired(), NumberRange(min=0)])
    monthly_wage = WholeNumberField(_l("Monthly wage, tenge"),
                                validators=[InputRequired(), NumberRange(min=1)])
    weekly_hours = WholeNumberField(_l("Weekly hours"),
                                validators=[InputRequired(), NumberRange(min=1, max=168)])
    shift = SelectField(_l("Shift"), choices=SHIFT_CHOICES)
    heavy_or_hazardous = BooleanField(_l("Heavy or hazardous work"))
    women_barred = BooleanField(_l("Barred to women (heavy work on the list set by law)"))
    required_skill_ids = CheckboxesField(_l("Required skills"), coerce=int)
    required_certificate_ids = CheckboxesField(_l("Required certificates"), coerce=int)
    trainable_on_job = BooleanField(_l("Required skills can be learnt on the job"))
    needs_long_stay = BooleanField(_l("Prefers workers with a long time before release"))
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        trades = [(int(value), name) for value, name in trade_choices(blank=None)]
        self.trade_id.choices = [("", ""), *trades]  # no trade chosen for the user
        self.required_skill_ids.choices = trades
        self.required_certificate_ids.choices = trades

    def values(self) -> dict:
        """The data as the vacancy operations take it."""
        values = {name: f.data for name, f in self._fields.items()
                  if name not in ("csrf_token", "institution_ids")}
        values["site"] = Site(values["site"])
        values["shift"] = Shift(values["shift"])
        values["description"] = values["description"] or ""
        return values


class NewVacancyForm(VacancyForm):
    institution_ids = CheckboxesField(
        _l("Institutions (one vacancy is created at each)"), coerce=int,
        validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.institution_ids.choices = [(i.id, str(i)) for i in db.session.scalars(
            sa.select(Institution).order_by(Institution.code))]
