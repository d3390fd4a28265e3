"""The JSON API's blueprint: flask-smorest's, documenting every refusal an operation
can give, so that the OpenAPI document describes the answers exactly.

From what the code declares (no hand-written spec): an operation behind
``roles_required`` documents 401 (no or bad token) and, unless every role may call it,
403; one with a path id documents 404; one that reads input documents 400 (malformed)
and 422 (a field breaks a rule); one that changes data documents 409 (clashes with
what is stored); a throttled one documents 429. ``X-Pagination`` is documented as what
it is: a string holding the JSON of the pagination metadata.
"""

import functools
from typing import Any

import flask_smorest
from flask import request
from flask_babel import gettext as _
from flask_smorest import abort

from app.core.vocabulary import Role

WRITES = ("post", "put", "patch", "delete")


def document_roles(view: Any, roles: tuple) -> None:
    """Called by ``roles_required``: the roles of an API operation, for its documentation."""
    view._apidoc = {**getattr(view, "_apidoc", {}), "roles": tuple(roles)}


def document_throttled(view: Any) -> Any:
    """Mark an operation throttled per client (its 429 answer is documented)."""
    view._apidoc = {**getattr(view, "_apidoc", {}), "throttled": True}
    return view


class Blueprint(flask_smorest.Blueprint):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._document_refusals)

    @staticmethod
    def _document_refusals(doc: dict, doc_info: dict, *, method: str, **kwargs: Any) -> dict:
        responses = doc.setdefault("responses", {})
        for status in [key for key in responses if isinstance(key, int)]:
            # An answer the operation declares itself (alt_response) wins over the
            # generic one flask-smorest adds for its arguments (422).
            generic = responses.pop(status)
            responses.setdefault(str(status), generic)
        roles = doc_info.get("roles")
        refusals = []
        if roles is not None:
            refusals.append(401)
            if set(roles) != set(Role):
                refusals.append(403)
        if doc_info.get("has_path_id"):
            refusals.append(404)
        if doc_info.get("arguments") or method in WRITES:
            refusals += [400, 422]
        if method in WRITES:
            refusals.append(409)
        if doc_info.get("throttled"):
            refusals.append(429)
        for status in refusals:
            responses.setdefault(str(status), _RESPONSE_NAMES[status])
        if method == "patch" and "requestBody" in doc:
            doc["requestBody"]["required"] = True  # see _refusing_an_empty_patch
        return doc

    def arguments(self, schema: Any, *, location: str = "json", required: bool | None = None,
                  **kwargs: Any):
        """A request body is required exactly when its schema has a required field or the
        operation is a PATCH; otherwise a body whose fields are all optional may be left
        out (it reads as ``{}``)."""
        if required is None:
            instance = schema() if isinstance(schema, type) else schema
            required = any(field.required for field in instance.fields.values())
        parse = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json":
            return parse
        return lambda view: parse(_refusing_an_empty_patch(view))


    def _document_pagination_metadata(self, spec: Any, resp_doc: dict) -> None:
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "Pagination metadata, as JSON: total, total_pages, first_page, "
                           "last_page, page, previous_page, next_page",
            "schema": {"type": "string"},
        }

    def route(self, rule: str, *, parameters: Any = None, **options: Any):
        decorator = super().route(rule, parameters=parameters, **options)

        def wrapper(func: Any) -> Any:
            if "<" in rule:
                func._apidoc = {**getattr(func, "_apidoc", {}), "has_path_id": True}
            return decorator(func)

        return wrapper


def _refusing_an_empty_patch(view: Any) -> Any:
    """A PATCH names what it changes: without a body it is refused (422, the body
    named ``_``), not taken for a change of nothing. Runs after the role checks above
    the arguments, so a caller without a token still gets 401 first."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if request.method == "PATCH" and not request.get_data(cache=True).strip():
            abort(422, message=_("The request has no body."),
                  errors={"_": [_("send the fields to change")]})
        return view(*args, **kwargs)

    return checked


_RESPONSE_NAMES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN",
                   404: "NOT_FOUND", 409: "CONFLICT", 422: "UNPROCESSABLE_ENTITY",
                   429: "TOO_MANY_REQUESTS"}
