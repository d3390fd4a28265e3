from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class SignInForm(FlaskForm):
    institution_id = SelectField(_l("Institution"), coerce=int, validators=[DataRequired()])
    file_number = StringField(_l("Personal file number"),
                              validators=[DataRequired(), Length(max=32)])
    pin = PasswordField(_l("PIN"), validators=[DataRequired(), Length(max=32)])


class LanguageForm(FlaskForm):
    language = RadioField(_l("Language of the statement and the kiosk"),
                          choices=[("kk", "Қазақша"), ("ru", "Русский")],
                          validators=[DataRequired()])


class KeepConsentForm(FlaskForm):
    note = StringField(_l("Why the consent stays in force"),
                       validators=[Optional(), Length(max=300)])
