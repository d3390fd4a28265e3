from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import operations
from app.auth.schemas import MeSchema, TokenRequestSchema, TokenSchema
from app.core.api import Blueprint, document_throttled
from app.core.auth import roles_required
from app.core.vocabulary import Role
from app.extensions import limiter

blp = Blueprint("auth_api", __name__, url_prefix="/api/auth",
                description="API tokens and the caller's identity")


@blp.post("/tokens")
@document_throttled
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.doc(security=[])
def create_token(body):
    """Exchange e-mail and password for a bearer token (throttled)."""
    user = operations.authenticate(body["email"], body["password"])
    if user is None:
        abort(401, description=_("Wrong e-mail or password, or the account is not active."))
    record, token = operations.issue_token(user, body["name"])
    return {"token": token, "name": record.name, "prefix": record.prefix}


@blp.get("/me")
@roles_required(*Role)
@blp.response(200, MeSchema)
def me():
    """Who the bearer token belongs to."""
    return current_user
