"""One transaction per request, committed in one place (as indico's request handler does).

Views, API functions and operations add and flush; they never commit. When the request
succeeds (any status below 400) its work is committed once here; when it fails, or
the view raised, everything is rolled back, so nothing is ever half-written.
A page that catches a refusal therefore answers 4xx (a form shown again with its
errors: 422), or, when it goes back with a redirect and a flashed message, first
calls :func:`discard_changes`. CLI commands use :func:`committing` for the same rule
outside a request. Nothing else commits or rolls back (tests/foundation/test_transactions.py).
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response

from app.extensions import db

log = logging.getLogger(__name__)
_AFTER_COMMIT = "after_commit"
_AFTER_REFUSAL = "after_refusal"


def register_request_transaction(app: Flask) -> None:
    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code < 400:
            db.session.info.pop(_AFTER_REFUSAL, None)
            db.session.commit()
            _run_after_commit()
        else:
            refusal_work = db.session.info.pop(_AFTER_REFUSAL, [])
            _roll_back()
            _record_refusal(refusal_work)
        return response

    @app.teardown_request
    def roll_back_on_error(error: BaseException | None) -> None:
        if error is not None:
            _roll_back()
        db.session.info.pop(_AFTER_REFUSAL, None)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current transaction is committed, never if it is rolled
    back: what must not happen for work that is not stored (an e-mail about it). It runs
    after the commit, so its failure is logged and changes nothing of the request."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def after_refusal(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the request is refused (status 400 or more), after its work
    was rolled back, in a transaction of its own committed here: the record of a
    refused attempt that must outlive the refusal (a wrong kiosk PIN counts towards
    the lock). A request that succeeds drops it."""
    db.session.info.setdefault(_AFTER_REFUSAL, []).append(callback)


def _record_refusal(callbacks: list[Callable[[], None]]) -> None:
    if not callbacks:
        return
    for callback in callbacks:
        callback()
    db.session.commit()


def _run_after_commit() -> None:
    for callback in db.session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # the work is committed; what follows it never undoes it
            log.exception("after-commit task failed")


def _roll_back() -> None:
    db.session.info.pop(_AFTER_COMMIT, None)
    db.session.rollback()


def discard_changes() -> None:
    """Undo the request's work now: a view caught a refusal and goes on to show a page
    (the form with its errors, or a redirect with the message), which then shows what
    is stored, and the end of the request has nothing of the refused work to commit."""
    _roll_back()


@contextmanager
def committing() -> Iterator[None]:
    """Commit the block's work once, or roll it all back if it raises (CLI commands)."""
    try:
        yield
    except BaseException:
        _roll_back()
        raise
    db.session.commit()
    _run_after_commit()


def commit_outside_request() -> None:
    """Commit now: for the work that runs outside any request, jobs and daily tasks
    (app/jobs), which end several transactions of their own (claim the job, then
    its work and its outcome together)."""
    db.session.commit()
    _run_after_commit()
