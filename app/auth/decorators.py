"""Route guards: signed in, and holding one of the given roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, redirect, url_for
from flask_login import current_user

from app.auth.models import Role
from app.extensions import login_manager
from app.permissions import Permission, roles_with

P = ParamSpec("P")
R = TypeVar("R")


def role_required(*roles: Role | str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let in signed-in users holding one of ``roles`` (any role if none given); others get 403.

    Anonymous visitors are sent to the sign-in page. The refusal is written to the audit log by
    the 403 error handler, which audits every refused access, not only those refused here.
    """
    wanted = frozenset(Role(r) for r in roles)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.needs_two_factor and not current_user.totp_secret:
                # A role needing a second factor was granted after sign-in: set it up first.
                return redirect(url_for("auth.enrol"))  # type: ignore[return-value]
            if wanted and not current_user.roles & wanted:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def permission_required(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let in signed-in users whose roles grant ``permission`` (``app.permissions``)."""
    return role_required(*roles_with(permission))
