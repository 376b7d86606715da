"""The kernel's application factory.

The kernel imports no capability: the composition root (``rongrian.py``) lists the capabilities
of a deployment and hands their ``register(app)`` functions to ``create_app``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Flask

from app.config import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


Capability = Callable[[Flask], None]


def create_app(config: Config | None = None, capabilities: Iterable[Capability] = ()) -> Flask:
    """Build the Flask app: bind extensions, headers, error pages and the kernel's commands,
    then let each of ``capabilities`` register its blueprints, commands and hooks.

    No side effects beyond wiring: migrations and seeding are explicit CLI commands.
    """
    config = config or Config.from_env()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.flask_mapping())

    from app import auth, cli, errors, i18n, organizations, platform, security, staging, uploads
    from app import input as input_cleaning
    from app.extensions import csrf, db, limiter

    input_cleaning.init_app(app)  # first: its hook runs before CSRF, sessions and rate limits
    db.init_app(app)
    organizations.init_app(app)  # next: every later hook and view runs in the organization
    csrf.init_app(app)
    limiter.init_app(app)
    staging.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    platform.init_app(app)  # after auth: the wall needs the signed-in account
    cli.init_app(app)
    uploads.init_app(app)
    for register in capabilities:
        register(app)
    return app


# Pages whose first request loads what every request needs: templates, translations, the
# database connection and the LINE webhook's signature check (an unsigned post is refused with
# 400 before anything is stored).
WARM_UP_REQUESTS = (("GET", "/"), ("POST", "/line/webhook"))


def warm_up(app: Flask) -> None:
    """Load, once, what a process would otherwise load on its first requests.

    gunicorn calls this in the master after preloading the app (``gunicorn.conf.py``), so every
    worker forked from it starts warm. The database connections opened here are closed again:
    each worker opens its own.
    """
    from sqlalchemy.orm import configure_mappers

    from app.extensions import db
    from app.thai_text import search_words

    configure_mappers()
    search_words("ไฟดับ")  # loads the Thai segmenter's dictionary (about 0.4 s) for the queue
    client = app.test_client()
    for method, path in WARM_UP_REQUESTS:
        client.open(path, method=method)
    if db.engine is not None:
        db.engine.dispose()
