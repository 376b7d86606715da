"""The corruption and misconduct track: a separate, protected channel (its own tables and pages).

Nothing general imports this package; only ``reports`` may, and only ``integrity.counts``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the corruption track in: its pages, staff screens, commands, outbox and staging."""
    from app import staging
    from app.demo import register_demo
    from app.outbox import register_private_recipient
    from integrity.cli import integrity_cli
    from integrity.demo import seed_demo_reports
    from integrity.evidence import staged_evidence_bytes
    from integrity.public_pages import bp
    from integrity.reporter import NEWS_TEMPLATE, news_recipient
    from integrity.staff_pages import bp as staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.cli.add_command(integrity_cli)
    register_demo("demo integrity reports", seed_demo_reports)
    # The reporter's news address is looked up at delivery, never stored in the outbox.
    register_private_recipient(app, NEWS_TEMPLATE, news_recipient)
    staging.register(app, staged_evidence_bytes)  # staged evidence counts towards the total
