"""Page forms of jobs waiting outside. They render the fields and carry the CSRF
token; the values are loaded by the API's ``OutsideJobInSchema``
(``app.core.forms.submit_form``), so the page and the API refuse the same input
with the same messages."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from app.extensions import db
from app.inmates.forms import date_field, select
from app.institutions.models import Region
from app.taxonomy.models import trade_choices

NUMBER = {"inputmode": "numeric"}


class OutsideJobForm(FlaskForm):
    title = StringField(_l("Title"))
    trade_id = select(_l("Trade"), [])
    locality = StringField(_l("Town or village"))
    region_id = select(_l("Region"), [])
    positions = StringField(_l("Positions"), render_kw=NUMBER)
    monthly_wage = StringField(_l("Monthly wage, tenge"), render_kw=NUMBER)
    start_date = date_field(_l("Start date"))
    certificate_required = BooleanField(_l("A vocational certificate in the trade is required"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trade_id.choices = trade_choices()
        self.region_id.choices = [("", "")] + [(str(r.id), r.name) for r in db.session.scalars(
            sa.select(Region).order_by(Region.name))]


class AnswerNoForm(FlaskForm):
    """A "no" to a person proposed for a job outside says why (the institution
    reads it and can help the person)."""

    reason = StringField(_l("Why not"))
