"""Roles and scopes (R16), defined once and used by every view and query.

Refusals: not logged in gives 401 (API) or the login page; a role that may not
act gives 403; an object outside the user's scope gives 404, as if absent.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from app.core.api import document_roles
from app.core.vocabulary import Role
from app.extensions import db, login_manager

M = TypeVar("M")

# The roles that read an institution's records (officers their own, prosecutors their
# region's or all, administrators all); changing them is for officers.
READERS = (Role.OFFICER, Role.PROSECUTOR, Role.ADMIN)


def roles_required(*roles: Role) -> Callable:
    """Let only logged-in users with one of ``roles`` through."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    abort(401)
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        document_roles(wrapped, roles)  # the API documents its 401 and 403
        return wrapped

    return decorator


def _institution_column(model: Any) -> Any:
    return model.id if model.__tablename__ == "institutions" else model.institution_id


def scope_clause(model: Any, user: Any = None) -> sa.ColumnElement[bool]:
    """A WHERE clause limiting ``model`` rows to what ``user`` may see.

    ``model`` is any model with ``institution_id`` (or Institution itself);
    for an employer, a model with ``employer_id``; for a partner, ``partner_id``.
    """
    user = user or current_user
    if user.role == Role.ADMIN:
        return sa.true()
    if user.role == Role.EMPLOYER:
        column = getattr(model, "employer_id", None)
        return column == user.employer_id if column is not None else sa.false()
    if user.role == Role.PARTNER:
        # A partner organisation's users see rows addressed to it (referrals), and
        # of those only what R21 allows (app/reintegration/operations.partner_access).
        column = getattr(model, "partner_id", None)
        return column == user.partner_id if column is not None else sa.false()
    column = _institution_column(model)
    if user.role == Role.OFFICER:
        return column == user.institution_id
    if user.role == Role.PROSECUTOR:
        if user.region_id is None:
            return sa.true()
        # The table by name, as a foreign key names it: core imports no feature package.
        institutions = db.metadata.tables["institutions"]
        in_region = sa.select(institutions.c.id).where(institutions.c.region_id == user.region_id)
        return column.in_(in_region)
    return sa.false()


def scoped(model: type[M], user: Any = None) -> sa.Select[tuple[M]]:
    """``select(model)`` already filtered to the user's scope."""
    return sa.select(model).where(scope_clause(model, user))


def get_in_scope_or_404(model: type[M], object_id: Any, user: Any = None) -> M:
    pk = sa.inspect(model).primary_key[0]
    obj = db.session.scalar(scoped(model, user).where(pk == object_id))
    if obj is None:
        abort(404)
    return obj


def may_change_institution(institution_id: int, user: Any = None) -> bool:
    """Only an officer of the institution (or an admin) changes its records."""
    user = user or current_user
    return user.role == Role.ADMIN or (
        user.role == Role.OFFICER and user.institution_id == institution_id
    )
