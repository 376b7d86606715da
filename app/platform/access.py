"""Who may open the platform's pages, and the wall that keeps platform accounts out of bodies.

A platform account's session opens no page of any body: every request it makes in a body's scope
(cases, reports, integrity, admin screens, even the public pages) is refused with 403 and written
to that body's audit log by the 403 handler, before any view runs. Nothing is remembered view by
view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from app.platform.models import AccountKind, PlatformAccount

P = ParamSpec("P")
R = TypeVar("R")


def signed_in_platform_account() -> PlatformAccount | None:
    """The platform account of this request's session, if that is who is signed in."""
    if current_user.is_authenticated and isinstance(
        current_user._get_current_object(), PlatformAccount
    ):
        return current_user._get_current_object()
    return None


def platform_account_required(kind: AccountKind) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let in platform accounts of ``kind``; others get 403, nobody the sign-in page."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            account = signed_in_platform_account()
            if account is None:
                return redirect(url_for("platform_admin.login", next=request.path))  # type: ignore[return-value]
            if account.kind != kind:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def refuse_platform_accounts_in_bodies() -> None:
    """``before_request``: a platform session asking for any page of a body is refused (403).

    Static files are not a body's content; everything else is, or leads to it.
    """
    if g.get("organization") is None or request.endpoint == "static":
        return
    if signed_in_platform_account() is not None:
        abort(403)
