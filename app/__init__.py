"""Rongrian's application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.config import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask app: bind extensions, register blueprints, CLI, headers and error pages.

    No side effects beyond wiring: migrations and seeding are explicit CLI commands.
    """
    config = config or Config.from_env()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.flask_mapping())

    from app import auth, cli, errors, i18n, security, staging
    from app import input as input_cleaning
    from app.extensions import csrf, db, limiter

    input_cleaning.init_app(app)  # first: its hook runs before CSRF, sessions and rate limits
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    staging.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from cases import services as cases_services
    from cases import uploads
    from cases.routes import bp as cases_bp
    from complaints.routes import bp as complaints_bp
    from feedback.routes import bp as feedback_bp
    from integrity import cli as integrity_cli
    from integrity import services as integrity_services
    from integrity.routes import bp as integrity_bp
    from integrity.staff import bp as integrity_staff_bp
    from line_bot.routes import bp as line_bp
    from notifications.routes import bp as notifications_bp
    from reports.public_routes import bp as statistics_bp
    from reports.routes import bp as reports_bp
    from review.admin import bp as review_admin_bp
    from review.resident import bp as resident_bp
    from review.routes import bp as review_bp

    uploads.init_app(app)
    cases_services.init_app(app)
    app.register_blueprint(cases_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(resident_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(integrity_bp)
    app.register_blueprint(integrity_staff_bp)
    app.cli.add_command(integrity_cli.integrity_cli)
    integrity_services.init_app(app)
    app.register_blueprint(statistics_bp)
    app.register_blueprint(line_bp)
    app.register_blueprint(review_admin_bp)


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
    from app.words import search_words

    configure_mappers()
    search_words("ไฟดับ")  # loads the Thai segmenter's dictionary (about 0.4 s) for the queue
    client = app.test_client()
    for method, path in WARM_UP_REQUESTS:
        client.open(path, method=method)
    if db.engine is not None:
        db.engine.dispose()
