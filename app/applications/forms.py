"""Applications page forms: rendering and CSRF; values are loaded by the API's schemas."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField

from app.applications.models import AnswerLanguage
from app.inmates.forms import date_field, select

LANGUAGES = [(AnswerLanguage.KK.value, "Қазақ тілі"), (AnswerLanguage.RU.value, "Русский язык")]


class ApplicationForm(FlaskForm):
    # "vacancy:<id>", "trade:<id>" or "course:<id>": one list of what may be asked
    target = select(_l("What is asked: a vacancy, a trade or a course"), [])
    received_on = date_field(_l("Received on (the day on the paper)"))
    scan = FileField(_l("Scan of the paper (PDF, JPEG or PNG)"))


class ReasonForm(FlaskForm):
    reason = StringField(_l("In the person's own words"))


class LanguageForm(FlaskForm):
    language = select(_l("Answers in"), LANGUAGES)
