"""Following a case (ติดตามเรื่องนี้) and the one-click unfollow link of every message.

The follow form is a partial (``cases/_follow.html``) that any page showing a case by its public
code includes (the status page, the public case page); it posts here and comes back. The unfollow
link opens a page whose one button stops the messages: a GET alone changes nothing, because
LINE's link previews and mail scanners open every link they see.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.extensions import limiter
from app.input import safe_next
from app.security import mark_private
from cases.errors import CaseNotFound, IntakeError, SubscriberNotFound
from cases.forms import FollowForm
from cases.models import CaseSubscriber
from cases.subscribers import (
    case_by_public_code,
    follow_case,
    public_case,
    subscriber_for_token,
    unfollow,
)

bp = Blueprint("subscribers", __name__)


@bp.post("/cases/<code>/follow")
@limiter.limit(lambda: current_app.config["TRACK_RATE_LIMIT"])
def follow(code: str) -> Response | tuple[str, int]:
    """Follow case ``code`` by e-mail; back to the page the form was on."""
    form = FollowForm()
    try:
        case = case_by_public_code(code)
    except CaseNotFound:
        abort(404)
    if form.validate():
        try:
            follow_case(case.code, form.to_follower())
        except IntakeError as error:
            for name, message in error.field_errors.items():
                getattr(form, name).errors = [str(message)]
        else:
            flash(_("ติดตามเรื่องนี้แล้ว เราจะแจ้งทางอีเมลเมื่อมีความคืบหน้า"), "ok")
            back = safe_next(form.next.data) or url_for("cases.home")
            return redirect(back, code=303)
    # A mistake: the form alone, with what was typed and why (the page it came from may need
    # a cookie this request cannot check).
    page = render_template("cases/follow.html", form=form, case=public_case(case))
    return page, 422


def _subscriber(subscriber_id: int, token: str) -> CaseSubscriber:
    try:
        return subscriber_for_token(subscriber_id, token)
    except SubscriberNotFound:
        abort(404)


@bp.get("/follow/stop/<int:subscriber_id>/<token>")
def confirm_unfollow(subscriber_id: int, token: str) -> str:
    """The page of an unfollow link: one button stops the messages."""
    mark_private()
    subscriber = _subscriber(subscriber_id, token)
    return render_template("cases/unfollow.html", subscriber=subscriber, done=False)


@bp.post("/follow/stop/<int:subscriber_id>/<token>")
@limiter.limit(lambda: current_app.config["TRACK_RATE_LIMIT"])
def stop_following(subscriber_id: int, token: str) -> str:
    """Stop the messages of the subscriber the link names."""
    mark_private()
    try:
        subscriber = unfollow(subscriber_id, token)
    except SubscriberNotFound:
        abort(404)
    return render_template("cases/unfollow.html", subscriber=subscriber, done=True)
