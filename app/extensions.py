"""Extensions, created at import time and bound to an app in ``create_app`` (``init_app``)."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from app.database import Database


def body_and_client() -> str:
    """The default rate-limit key: the request's body and client address.

    Each body's counters are its own: on a platform a resident (or a village office behind one
    address) filing with two bodies, or a flood at one body, spends no other body's allowance.
    """
    from app.organizations.scope import explicit_organization_id  # imports the models

    return f"{explicit_organization_id() or 0}/{get_remote_address()}"


db = Database()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=body_and_client, default_limits=[])
login_manager = LoginManager()
