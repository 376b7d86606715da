"""What the LINE channel keeps: received webhook events and each resident's conversation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Index, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, CreatedAtMixin, OrganizationOwned, utcnow


class EventStatus(StrEnum):
    """Life of a received event: stored, claimed by one processor, then done or failed."""

    RECEIVED = "received"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class LineWebhookEvent(OrganizationOwned, CreatedAtMixin, Base):
    """One event LINE delivered, stored before it is processed.

    ``webhook_event_id`` is unique: a redelivery of the same event finds the row and is not
    processed again. The payload (which may hold what the resident typed) is emptied once the
    event is processed; only failed events keep it, for a second look.
    """

    __tablename__ = "line_webhook_events"
    __table_args__ = (
        Index("ix_line_webhook_events_status_created", "status", "created_at"),
        Index("ix_line_webhook_events_user_status", "line_user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    # Which LINE account received it: '' the body's own, 'platform' the platform's.
    line_account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    is_redelivery: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.RECEIVED)
    claimed_at: Mapped[datetime | None] = mapped_column()
    processed_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str] = mapped_column(Text, default="")


class Step(StrEnum):
    """Where a resident is in the conversation."""

    IDLE = "idle"
    AREA = "area"  # the platform's account: which ตำบล (so which body) the case is for
    PRIVACY = "privacy"
    KIND = "kind"
    CATEGORY = "category"
    DETAILS = "details"
    INTEGRITY_CHECK = "integrity_check"
    PHOTOS = "photos"
    LOCATION = "location"
    PUBLICATION = "publication"
    DUPLICATES = "duplicates"
    CONFIRM = "confirm"
    EXPIRED = "expired"


class LineConversation(OrganizationOwned, Base):
    """A LINE user's conversation state, kept in the database so it survives restarts.

    ``draft`` holds the half-finished case (kind, category, details, staging token of photos,
    place); ``expires_at`` ends a conversation left alone. ``privacy_acknowledged_at`` records that
    the resident confirmed the PDPA notice, asked once before the first case.
    """

    __tablename__ = "line_conversations"
    # One per body, account and user: accounts under one LINE provider share user ids.
    __table_args__ = (PrimaryKeyConstraint("organization_id", "line_account", "line_user_id"),)

    line_user_id: Mapped[str] = mapped_column(String(64))
    line_account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    step: Mapped[str] = mapped_column(String(20), default=Step.IDLE)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime | None] = mapped_column()
    privacy_acknowledged_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
