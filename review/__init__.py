"""The officers' review queue: list, case page and the work done on a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the officers' screens, the admin screens and the resident's rating in."""
    from app.demo import register_demo
    from app.organizations.services import register_seeder
    from review.admin import bp as admin_bp
    from review.demo import seed_demo_forward
    from review.resident import bp as resident_bp
    from review.routes import bp
    from review.seed import seed_reply_templates

    register_seeder(seed_reply_templates)  # a new organization starts with the Thai templates

    app.register_blueprint(bp)
    app.register_blueprint(resident_bp)
    app.register_blueprint(admin_bp)
    register_demo("demo case forwarded between bodies", seed_demo_forward)
