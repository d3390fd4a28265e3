from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.core.vocabulary import EndReason, SuspensionReason

END_REASONS = [
    (EndReason.COMPLETED.value, _l("Completed")),
    (EndReason.RELEASED.value, _l("Released")),
    (EndReason.TRANSFERRED.value, _l("Transferred")),
    (EndReason.DISMISSED.value, _l("Dismissed")),
    (EndReason.HEALTH.value, _l("Health")),
    (EndReason.SECURITY.value, _l("Security")),
    (EndReason.CONSENT_WITHDRAWN.value, _l("Consent withdrawn")),
    (EndReason.VACANCY_CLOSED.value, _l("Vacancy closed")),
]


# A placement's end date is the first day without work (app/core/vocabulary.py,
# PLACEMENT_END_DATE): every page and form names it so.
FIRST_DAY_WITHOUT_WORK = _l("First day without work")
LAST_DAY_WORKED_BEFORE = _l("The placement's last working day is the day before this one.")


class StartRunForm(FlaskForm):
    """Just the CSRF token: a run is for the officer's institution, today."""


class AcceptForm(FlaskForm):
    start_date = DateField(_l("Start date"), validators=[Optional()],
                           description=_l("Empty: today, or the vacancy's start if later."))


class RejectForm(FlaskForm):
    reason = StringField(_l("Reason for rejecting"), validators=[DataRequired(), Length(max=500)])


class BulkDecisionForm(FlaskForm):
    """Every problem in one round: nothing selected, a bad day, a rejection without reason."""

    proposal_ids = SelectMultipleField(
        _l("Proposals"), coerce=int, validate_choice=False,
        validators=[DataRequired(message=_l("Select at least one proposal."))])
    action = SelectField(_l("Action"), choices=[("accept", _l("Accept selected")),
                                                 ("reject", _l("Reject selected"))])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    reason = StringField(_l("Reason for rejecting"), validators=[Length(max=500)])

    def validate_reason(self, field: StringField) -> None:
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason for the rejection."))


class EndPlacementForm(FlaskForm):
    # Nothing preselected: the officer chooses the reason and the day deliberately.
    reason = SelectField(_l("Reason"), choices=[("", _l("— choose a reason —")), *END_REASONS],
                         validators=[DataRequired()])
    end_date = DateField(FIRST_DAY_WITHOUT_WORK, validators=[DataRequired()],
                         description=LAST_DAY_WORKED_BEFORE)
    note = TextAreaField(_l("Note"), validators=[Length(max=500)])


class PlacementFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    state = SelectField(_l("Show"), choices=[("current", _l("Current")),
                                                   ("past", _l("Past")), ("all", _l("All"))],
                        default="current")
    q = StringField(_l("Inmate (name or file number)"), validators=[Length(max=100)])


SUSPENSION_REASONS = [
    (SuspensionReason.SICKNESS.value, _l("Sickness")),
    (SuspensionReason.DISCIPLINARY.value, _l("Disciplinary cell")),
    (SuspensionReason.COURT_VISIT.value, _l("Court visit")),
    (SuspensionReason.OTHER.value, _l("Other (say what in the note)")),
]


class SuspendForm(FlaskForm):
    """A suspension from a day, until the first day back or until resumed."""

    reason = SelectField(_l("Reason"), choices=[("", _l("— choose a reason —")),
                                                *SUSPENSION_REASONS],
                         validators=[DataRequired()])
    start_date = DateField(_l("First day off work"), validators=[DataRequired()])
    end_date = DateField(_l("Back at work on (optional)"), validators=[Optional()],
                         description=_l("Empty: until the placement is resumed."))
    note = TextAreaField(_l("Note"), validators=[Length(max=500)])


class ResumeForm(FlaskForm):
    on = DateField(_l("Back at work on"), validators=[DataRequired()])
