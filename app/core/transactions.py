"""One transaction per request, committed in one place (as indico's request handler does).

Views, API functions and operations add and flush; they never commit. When the request
succeeds (any status below 400) its work is committed once here; when it fails, or
the view raised, everything is rolled back, so nothing is ever half-written.
A page that catches a refusal therefore answers 4xx (a form shown again with its
errors: 422), or, when it goes back with a redirect and a flashed message, first
calls :func:`discard_changes`. CLI commands use :func:`committing` for the same rule
outside a request. Nothing else commits or rolls back (tests/foundation/test_transactions.py).
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


def discard_changes() -> None:
    """Undo the request's work now: a view caught a refusal and goes on to show a page
    (the form with its errors, or a redirect with the message), which then shows what
    is stored, and the end of the request has nothing of the refused work to commit."""
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
