"""The officers' review queue: list, case page and the work done on a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the officers' screens, the admin screens and the resident's rating in."""
    from app.admin import register_admin_screens
    from app.demo import register_demo
    from app.organizations.services import register_seeder
    from review import admin
    from review.demo import seed_demo_forward, seed_demo_publications
    from review.resident_pages import bp as resident_bp
    from review.seed import seed_reply_templates
    from review.staff_pages import bp

    register_seeder(seed_reply_templates)  # a new organization starts with the Thai templates

    app.register_blueprint(bp)
    app.register_blueprint(resident_bp)
    register_admin_screens(app, admin.bp, admin.LINKS)
    register_demo("demo case forwarded between bodies", seed_demo_forward)
    register_demo("demo published cases", seed_demo_publications)
