"""Plumbing of the staff screens both tracks share (a case page, an integrity report page).

- ``load_or_abort``: the record, or 404 when there is none and 403 when the officer may not see it;
- ``attempt_change``: run one change against the version the officer's page showed
  (``app.workflow.change_transaction``); on success back to the page with a flash, and when it is
  refused, the page again with why (409 after a colleague's change, 422 for a refused action)
  and with the text the officer typed still in its form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect
from werkzeug.wrappers import Response

from app.extensions import db
from app.workflow import ConcurrentChange, WorkflowError

T = TypeVar("T")
# Renders the record's page again: (HTTP status, the message to show) -> the page.
Render = Callable[[int, str], tuple[str, int]]


def load_or_abort(
    load: Callable[[], T],
    missing: tuple[type[Exception], ...],
    forbidden: tuple[type[Exception], ...],
) -> T:
    """``load()``'s record; 404 if it raises one of ``missing``, 403 for one of ``forbidden``."""
    try:
        return load()
    except missing:
        abort(404)
    except forbidden:
        abort(403)


def attempt_change(
    record: object,
    change: Callable[[], object],
    render: Render,
    done: str,
    back_to: str,
    forbidden: tuple[type[Exception], ...] = (),
    refusals: tuple[type[Exception], ...] = (),
) -> Response | tuple[str, int]:
    """Run ``change`` on ``record``; on success flash ``done`` and redirect to ``back_to``.

    ``forbidden`` errors give 403. A colleague's change since the page was loaded gives the page
    again with 409, a refused action (``WorkflowError`` or one of ``refusals``, each with a
    ``message``) with 422; either way ``record`` is reloaded first, so the page shows what is
    stored now, not the half-made change.
    """
    try:
        change()
    except forbidden:
        abort(403)
    except ConcurrentChange as error:
        return _again(record, render, 409, error.message)
    except WorkflowError as error:
        return _again(record, render, 422, error.message)
    except refusals as error:
        return _again(record, render, 422, str(getattr(error, "message", error)))
    flash(done, "ok")
    return redirect(back_to)


def _again(record: object, render: Render, status: int, message: str) -> tuple[str, int]:
    db.session.refresh(record)
    return render(status, message)
