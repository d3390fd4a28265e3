"""Forms of the entrepreneurs' portal. Field names match the operations' arguments,
so a RuleViolation's field lands on the right input."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
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
)

from app.auth.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.core.labels import choices_for
from app.core.vocabulary import EmployerKind, Shift, Site
from app.extensions import db
from app.institutions.models import Institution
from app.taxonomy.models import Trade, localized_name

KIND_CHOICES = [(EmployerKind.PRIVATE_COMPANY.value, _l("Private company (BIN)")),
                (EmployerKind.SOLE_TRADER.value, _l("Sole trader (IIN)"))]
SITE_CHOICES = [(Site.INSIDE.value, _l("Inside the perimeter")),
                (Site.OUTSIDE.value, _l("Outside the perimeter"))]
SHIFT_CHOICES = choices_for(Shift)  # "day" here is a shift, not a date


class PasswordMixin:
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    password_again = PasswordField(_l("Password again"), validators=[
        EqualTo("password", message=_l("The passwords differ."))])


class RegistrationForm(PasswordMixin, FlaskForm):
    kind = SelectField(_l("Kind of business"), choices=KIND_CHOICES)
    bin_iin = StringField(_l("BIN or IIN"), validators=[DataRequired(), Length(max=12)])
    name = StringField(_l("Name of the business"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=300)])
    contact_person = StringField(_l("Contact person"),
                                 validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(min=5, max=40)])
    email = EmailField(_l("E-mail (your login)"), validators=[DataRequired(), Email()])


class ColleagueForm(PasswordMixin, FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail (login)"), validators=[DataRequired(), Email()])


class VacancyForm(FlaskForm):
    """The fields of a vacancy, as on an edit; ``NewVacancyForm`` adds the institutions."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    trade_id = SelectField(_l("Trade"), coerce=int, validators=[InputRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    site = SelectField(_l("Site"), choices=SITE_CHOICES)
    positions = IntegerField(_l("Positions"), validators=[InputRequired(), NumberRange(min=0)])
    monthly_wage = IntegerField(_l("Monthly wage, tenge"),
                                validators=[InputRequired(), NumberRange(min=1)])
    weekly_hours = IntegerField(_l("Weekly hours"),
                                validators=[InputRequired(), NumberRange(min=1, max=168)])
    shift = SelectField(_l("Shift"), choices=SHIFT_CHOICES)
    heavy_or_hazardous = BooleanField(_l("Heavy or hazardous work"))
    women_barred = BooleanField(_l("Barred to women (heavy work on the list set by law)"))
    required_skill_ids = SelectMultipleField(_l("Required skills"), coerce=int)
    required_certificate_ids = SelectMultipleField(_l("Required certificates"), coerce=int)
    trainable_on_job = BooleanField(_l("Required skills can be learnt on the job"))
    needs_long_stay = BooleanField(_l("Prefers workers with a long time before release"))
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        trades = [(t.id, localized_name(t)) for t in db.session.scalars(
            sa.select(Trade).where(Trade.active.is_(True)).order_by(Trade.name_en))]
        self.trade_id.choices = trades
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
    institution_ids = SelectMultipleField(
        _l("Institutions (one vacancy is created at each)"), coerce=int,
        validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.institution_ids.choices = [(i.id, str(i)) for i in db.session.scalars(
            sa.select(Institution).order_by(Institution.code))]
