"""Staff sign-in and sign-out pages, and the staff home page."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response
from wtforms import Field

from app.auth import sessions, two_factor
from app.auth.errors import (
    AccountError,
    CurrentSecondFactorRefused,
    InvalidPassword,
    SignInThrottled,
)
from app.auth.forms import CodeForm, PasswordForm, ReplaceTwoFactorForm, SignInForm
from app.auth.models import User
from app.auth.services import (
    authenticate,
    change_password,
    check_second_factor,
    enrol_two_factor,
    replace_two_factor,
    sign_out,
)
from app.input import safe_next
from app.organizations.services import organization_profile
from app.security import mark_private

bp = Blueprint("auth", __name__, url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Sign in with e-mail and password."""
    mark_private()
    if current_user.is_authenticated:
        return redirect(url_for(".home"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "")
        except AccountError as error:
            form.password.errors = [str(error.message)]
        else:
            return _after_password(user, safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


def _after_password(user: User, next_url: str | None) -> Response:
    if user.totp_secret or user.needs_two_factor:
        sessions.hold_for_second_factor(user)
        if next_url:
            session["next"] = next_url
        return redirect(url_for(".second_factor" if user.totp_secret else ".enrol"))
    sessions.start(user)
    return redirect(next_url or url_for(".home"))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> str | Response:
    """The code from the authenticator app (or a recovery code) after the password."""
    mark_private()
    user = sessions.pending_user()
    if user is None or not user.totp_secret:
        flash(_("กรุณาลงชื่อเข้าใช้อีกครั้ง"), "info")
        return redirect(url_for(".login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            check_second_factor(user, form.code.data or "")
        except AccountError as error:
            form.code.errors = [str(error.message)]
        else:
            next_url = safe_next(session.get("next"))
            sessions.start(user)
            return redirect(next_url or url_for(".home"))
    return render_template("auth/second_factor.html", form=form)


def _enrolling_user() -> User | None:
    if current_user.is_authenticated:
        return current_user._get_current_object()
    pending = sessions.pending_user()
    # Before sign-in completes, only a first set-up is allowed: replacing an existing app
    # would let a stolen password bypass the second factor.
    return pending if pending is not None and not pending.totp_secret else None


def _set_up(user: User, form: CodeForm | ReplaceTwoFactorForm, secret: str) -> list[str]:
    """Turn the app on (first set-up) or swap it (replacing one in use); the recovery codes."""
    if isinstance(form, ReplaceTwoFactorForm):
        return replace_two_factor(
            user,
            password=form.password.data or "",
            current_code=form.current_code.data or "",
            secret=secret,
            new_code=form.code.data or "",
        )
    return enrol_two_factor(user, secret, form.code.data or "")


def _field_of(form: CodeForm | ReplaceTwoFactorForm, error: AccountError) -> Field:
    """The field an error of setting up the app is shown beside."""
    if isinstance(form, ReplaceTwoFactorForm):
        if isinstance(error, InvalidPassword | SignInThrottled):
            return form.password
        if isinstance(error, CurrentSecondFactorRefused):
            return form.current_code
    return form.code


@bp.route("/two-factor", methods=["GET", "POST"])
def enrol() -> str | Response:
    """Set up the authenticator app (required for admins and integrity officers) or replace it.

    Replacing an app already in use needs the current password and a code from that app.
    """
    mark_private()
    user = _enrolling_user()
    if user is None:
        return redirect(url_for(".login"))
    secret = session.get("enrol_secret") or two_factor.new_secret()
    session["enrol_secret"] = secret
    replacing = bool(user.totp_secret)
    form = ReplaceTwoFactorForm() if replacing else CodeForm()
    if form.validate_on_submit():
        try:
            codes = _set_up(user, form, secret)
        except AccountError as error:
            _field_of(form, error).errors = [str(error.message)]
        else:
            session.pop("enrol_secret", None)
            if not current_user.is_authenticated:
                sessions.start(user)
            return render_template("auth/recovery_codes.html", codes=codes)
    return render_template(
        "auth/enrol.html",
        form=form,
        secret=secret,
        uri=two_factor.provisioning_uri(user, secret, organization_profile().name),
        required=user.needs_two_factor,
        replacing=replacing,
    )


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password_page() -> str | Response:
    """Change one's own password; other sessions end, this one continues."""
    mark_private()
    form = PasswordForm()
    user: User = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            change_password(user, form.current.data or "", form.new.data or "")
        except AccountError as error:
            form.new.errors = [str(error.message)]
        else:
            sessions.start(user)  # the new session version for this browser
            flash(_("เปลี่ยนรหัสผ่านแล้ว อุปกรณ์อื่นถูกออกจากระบบ"), "ok")
            return redirect(url_for(".home"))
    return render_template("auth/password.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out here and on every other device."""
    sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("ออกจากระบบแล้ว"), "ok")
    return redirect(url_for(".login"))


@bp.get("/")
@login_required
def home() -> str:
    """The staff landing page: the sections this user's roles open."""
    return render_template("auth/home.html", sections=sessions.sections_for(current_user))
