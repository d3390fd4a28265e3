from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.labels import choices_for
from app.core.vocabulary import FindingKind
from app.monitoring.operations import MAX_FINDING_TEXT
from app.monitoring.violations import CHECKS


class FindingForm(FlaskForm):
    """A prosecutor's finding on an institution, or on a violation (rule + placement)."""

    institution_id = SelectField(_l("Institution"), coerce=int, validators=[Optional()])
    placement_id = HiddenField()
    rule = SelectField(_l("Rule"), validators=[Optional()])
    kind = SelectField(_l("Kind of act"), validators=[DataRequired()])
    text = TextAreaField(_l("Finding"), validators=[DataRequired(),
                                                    Length(max=MAX_FINDING_TEXT)])
    due_on = DateField(_l("Answer due by"), validators=[Optional()])
    next = HiddenField()

    def __init__(self, institutions: list, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id.choices = [(i.id, f"{i.code} {i.name}") for i in institutions]
        self.kind.choices = [("", "—"), *choices_for(FindingKind)]
        self.rule.choices = [("", "—")] + [(rule, f"{rule} {label}")
                                           for rule, (_, label) in CHECKS.items()]
