"""Reply templates (canned responses) that admins manage and officers adapt before sending."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, CreatedAtMixin, OrganizationOwned


class ReplyTemplate(OrganizationOwned, CreatedAtMixin, Base):
    """A ready-made reply or move message; the officer edits the text before it is sent."""

    __tablename__ = "reply_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The workflow action this text suits (``review.workflow.STAFF_ACTIONS``), offered first on
    # that move; ``None``: a general reply.
    action: Mapped[str | None] = mapped_column(String(20))
