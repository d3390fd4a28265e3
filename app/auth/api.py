from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import operations
from app.auth.schemas import MeSchema, PasswordChangeSchema, TokenRequestSchema, TokenSchema
from app.auth.throttling import login_throttled
from app.core.api import Blueprint, document_throttled
from app.core.auth import roles_required
from app.core.vocabulary import Role

blp = Blueprint("auth_api", __name__, url_prefix="/api/auth",
                description="API tokens and the caller's identity")


@blp.post("/tokens")
@document_throttled
@login_throttled
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


@blp.post("/password")
@roles_required(*Role)
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(body):
    """Change the caller's own password (the current one is asked). Every session of
    the account ends; API tokens stay valid (revoke them on the tokens page)."""
    operations.change_password(current_user, body["current_password"], body["new_password"])
