"""The Thai reply templates: the migration's literal copy (0017) matches what a new body gets."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from review.models import ReplyTemplate
from review.seed import REPLY_TEMPLATES


def test_the_migration_seeds_the_templates_a_new_body_starts_with(app):
    rows = db.session.execute(
        select(ReplyTemplate.title, ReplyTemplate.action, ReplyTemplate.body).order_by(
            ReplyTemplate.sort_order, ReplyTemplate.id
        )
    ).all()
    assert [tuple(row) for row in rows] == list(REPLY_TEMPLATES)
