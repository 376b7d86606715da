"""The general case track shared by complaints and feedback: models, intake, tracking codes.

Complaints/grievances (``complaints/``) and suggestions/questions (``feedback/``) are stored in one
``cases`` table with a ``kind`` column, so that the officers' queue and the reports list and count
both with plain indexed filters instead of a UNION in every query. The two packages are the web
adapters for their kinds; the domain they share lives here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the general track in: status pages, following, staged files, messages, commands."""
    from app.demo import register_demo
    from app.organizations.services import register_seeder
    from cases import cli, messages, services
    from cases.demo import seed_demo, seed_demo_province_cases
    from cases.follow_pages import bp as follow_bp
    from cases.public_pages import bp
    from cases.seed import seed_reference_data

    register_seeder(seed_reference_data)  # a new organization starts with the default data
    services.init_app(app)
    messages.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(follow_bp)
    cli.init_app(app)
    register_demo("demo cases", seed_demo)
    register_demo("demo cases of the province's other bodies", seed_demo_province_cases)
