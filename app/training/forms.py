"""Training page forms: rendering and CSRF; values are loaded by the API's schemas."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from app.inmates.forms import date_field, select

LEVELS = [("1", "1"), ("2", "2"), ("3", "3")]


class CourseForm(FlaskForm):
    trade_id = select(_l("Trade"), [])
    title = StringField(_l("Title"))
    provider = StringField(_l("Provider"))
    seats = StringField(_l("Seats"), render_kw={"inputmode": "numeric"})
    start_date = date_field(_l("Starts"))
    end_date = date_field(_l("Ends"))
    hours = StringField(_l("Hours"), render_kw={"inputmode": "numeric"})
    grants_certificate = BooleanField(_l("Grants a certificate"), default=True)
    grants_level = select(_l("Skill level granted"), LEVELS)


class EnrolForm(FlaskForm):
    file_number = StringField(_l("Inmate: personal file number or name"))
    enrolled_on = date_field(_l("Enrolled on"))


class CompleteForm(FlaskForm):
    completed_on = date_field(_l("Completed on"))
    certificate_number = StringField(_l("Certificate number"))
    result = StringField(_l("Result"))
    early_reason = StringField(_l("Why it was completed sooner than its hours allow"))


class DropForm(FlaskForm):
    reason = StringField(_l("Reason"))
