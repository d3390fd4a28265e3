from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.monitoring.operations import MAX_FINDING_TEXT
from app.monitoring.violations import CHECKS


class FindingForm(FlaskForm):
    """A prosecutor's finding on an institution, or on a violation (rule + placement)."""

    institution_id = SelectField(_l("Institution"), coerce=int, validators=[Optional()])
    placement_id = HiddenField()
    rule = SelectField(_l("Rule"), validators=[Optional()])
    text = TextAreaField(_l("Finding"), validators=[DataRequired(),
                                                    Length(max=MAX_FINDING_TEXT)])
    next = HiddenField()

    def __init__(self, institutions: list, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id.choices = [(i.id, f"{i.code} {i.name}") for i in institutions]
        self.rule.choices = [("", "—")] + [(rule, f"{rule} {label}")
                                           for rule, (_, label) in CHECKS.items()]
