from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.core.labels import LABELS
from app.core.vocabulary import MailChoice


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])


class PasswordResetForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(),
                                                                 Length(max=200)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


class PasswordChangeForm(PasswordResetForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class MailChoiceForm(FlaskForm):
    """How notifications reach the user by e-mail (the account page)."""

    # Lazy labels: written in the reader's language when the page is shown.
    mail_choice = RadioField(_l("Notifications by e-mail"), validators=[DataRequired()],
                             choices=[(choice.value, LABELS[choice.value])
                                      for choice in MailChoice])
