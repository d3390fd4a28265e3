"""One transaction per request, committed in one place (as indico's request handler does).

Views, API functions and operations add and flush; they never commit. When the request
succeeds (any status below 400) its work is committed once here; when it fails, or
the view raised, everything is rolled back, so nothing is ever half-written.
CLI commands use :func:`committing` for the same rule outside a request.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response

from app.extensions import db


def register_request_transaction(app: Flask) -> None:
    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def roll_back_on_error(error: BaseException | None) -> None:
        if error is not None:
            db.session.rollback()


@contextmanager
def committing() -> Iterator[None]:
    """Commit the block's work once, or roll it all back if it raises (CLI commands)."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
