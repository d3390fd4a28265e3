from marshmallow import Schema, fields, validate

from app.core.fields import Id, Integer
from app.core.vocabulary import Role


class TokenRequestSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="api", validate=validate.Length(min=1, max=100))


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True,
                                     validate=validate.Length(max=200))
    new_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(max=200))


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Shown once; keep it safe."})
    name = fields.String()
    prefix = fields.String()


class MeSchema(Schema):
    id = Integer()
    email = fields.Email()
    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    institution_id = Id(allow_none=True)
    employer_id = Id(allow_none=True)
    region_id = Id(allow_none=True)
