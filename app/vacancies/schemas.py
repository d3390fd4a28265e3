"""The API contract of a vacancy, shared by the employers' and the officers' APIs.

The rules (R7, R9, R10, dates) are checked by ``operations.check_vacancy`` so that
forms, API and import refuse the same things with the same messages. A vacancy as
the API returns it, with the positions its placements fill, is
app/placements/schemas.VacancySchema.
"""

from marshmallow import Schema, fields, validate

from app.core.fields import Id, Integer
from app.core.plausible import EventDay, within
from app.core.vocabulary import PLACEMENT_END_DATE, Shift, Site
from policy import plausible


class VacancyFieldsSchema(Schema):
    """The fields an employer or officer sets on a vacancy."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    trade_id = Id(required=True, metadata={"description": "Trade of the taxonomy."})
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    site = fields.Enum(Site, by_value=True, required=True,
                       metadata={"description": "Inside or outside the perimeter (R8)."})
    positions = Integer(required=True, validate=within(plausible.POSITIONS))
    monthly_wage = Integer(
        required=True, validate=validate.Range(min=1),
        metadata={"description": "Tenge a month; at least the minimum wage pro rata (R10)."})
    weekly_hours = Integer(
        required=True, validate=validate.Range(min=1, max=168),
        metadata={"description": "At most the adult weekly limit of the year (R9)."})
    shift = fields.Enum(Shift, by_value=True, load_default=Shift.DAY)
    heavy_or_hazardous = fields.Boolean(load_default=False)
    women_barred = fields.Boolean(
        load_default=False,
        metadata={"description": "Only for heavy or hazardous work on the list set by law (R7)."})
    trainable_on_job = fields.Boolean(
        load_default=False,
        metadata={"description": "Required skills may be learnt on the job (R12)."})
    needs_long_stay = fields.Boolean(load_default=False)
    required_skill_ids = fields.List(Id(), load_default=list)
    required_certificate_ids = fields.List(Id(), load_default=list)
    start_date = EventDay(required=True)
    end_date = EventDay(load_default=None, allow_none=True,
                           metadata={"description": "Not before the start date."})


class VacancyCreateSchema(VacancyFieldsSchema):
    institution_ids = fields.List(
        Id(), required=True, validate=validate.Length(min=1),
        metadata={"description": "One vacancy is created per institution."})


class VacancyUpdateSchema(VacancyFieldsSchema):
    confirm = fields.Boolean(
        load_default=False,
        metadata={"description": "Needed when fewer positions end placements (else 409)."})
    # Use as ``VacancyUpdateSchema(partial=True)``: only the fields sent change.


class ConfirmSchema(Schema):
    confirm = fields.Boolean(
        load_default=False,
        metadata={"description": "Needed when the action ends placements (else 409)."})


class WorkerFieldsSchema(Schema):
    """What an employer may see of a placed worker: these fields only, ever (R16)."""

    name = fields.String()
    start_date = fields.Date()
    weekly_hours = Integer()


class EndingPlacementSchema(WorkerFieldsSchema):
    """A placement a change of the vacancy would end."""

    placement_id = Id()
    end_date = fields.Date(metadata={"description": "The day it would end. "
                                                    + PLACEMENT_END_DATE})


class ConfirmationNeededSchema(Schema):
    """The 409 answer of a change that needs confirmation; nothing was changed."""

    code = Integer()
    status = fields.String()
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    ending = fields.List(fields.Nested(EndingPlacementSchema), metadata={
        "description": "The placements that would end, the most recent first."})


class TradeRefSchema(Schema):
    id = Integer()
    code = fields.String()
    name = fields.Function(lambda trade: str(trade))


class InstitutionRefSchema(Schema):
    id = Integer()
    code = fields.String()
    name = fields.String()
