"""Read-only look-ups a channel needs: the active categories, a resident's own cases.

A channel (the LINE bot, a future SMS gateway) asks these instead of querying the tables itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.extensions import db
from app.tracking import normalise_code
from cases.models import Case, Category


def active_categories() -> list[tuple[int, str]]:
    """(id, Thai name) of every category a resident may choose, in display order."""
    rows = db.session.execute(
        select(Category.id, Category.name_th)
        .where(Category.active.is_(True))
        .order_by(Category.sort_order, Category.id)
    ).all()
    return [(row.id, row.name_th) for row in rows]


def category_name(category_id: int | None) -> str:
    """The Thai name of a category ("" when there is none)."""
    category = db.session.get(Category, category_id) if category_id is not None else None
    return category.name_th if category else ""


def cases_of_line_user(line_user_id: str, line_account: str, limit: int) -> Sequence[Case]:
    """The newest ``limit`` cases one LINE user filed through ``line_account``."""
    return db.session.scalars(
        select(Case)
        .where(Case.line_user_id == line_user_id, Case.line_account == line_account)
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(limit)
    ).all()


def line_users_case(line_user_id: str, line_account: str, code: str) -> Case | None:
    """The case with tracking code ``code`` if this LINE user filed it through ``line_account``
    (a code alone is not a secret: nobody else's case is shown)."""
    return db.session.scalar(
        select(Case).where(
            Case.code == normalise_code(code),
            Case.line_user_id == line_user_id,
            Case.line_account == line_account,
        )
    )
