"""Models of the general track: departments, categories, cases, their timeline and attachments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models import Base, CreatedAtMixin, Department, OrganizationOwned, utcnow
from app.statuses import OPEN_STATUSES, GroupedStatus, Status

if TYPE_CHECKING:
    from app.auth.models import User


class CaseKind(StrEnum):
    """What a resident sends; the first two are complaints, the last two feedback."""

    COMPLAINT = "complaint"
    GRIEVANCE = "grievance"
    SUGGESTION = "suggestion"
    QUESTION = "question"


COMPLAINT_KINDS = (CaseKind.COMPLAINT, CaseKind.GRIEVANCE)
FEEDBACK_KINDS = (CaseKind.SUGGESTION, CaseKind.QUESTION)


class Channel(StrEnum):
    """How a case reached the organization."""

    WEB = "web"
    LINE = "line"
    PHONE = "phone"
    WALK_IN = "walk_in"
    POST = "post"
    SUGGESTION_BOX = "suggestion_box"
    MAYOR_HOTLINE = "mayor_hotline"
    FACEBOOK = "facebook"
    EMAIL = "email"


SELF_SERVICE_CHANNELS = (Channel.WEB, Channel.LINE)
OFFICER_ENTRY_CHANNELS = tuple(c for c in Channel if c not in SELF_SERVICE_CHANNELS)


class Category(OrganizationOwned, Base):
    """What a case is about; routes it to a default department and sets its due dates."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("organization_id", "code", name="uq_categories_organization_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    acknowledge_days: Mapped[int] = mapped_column(Integer, default=3)
    answer_days: Mapped[int] = mapped_column(Integer, default=15)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship()


# The officers' queue looks for each searched word in any of these columns (``ILIKE '%word%'``,
# ORed): ``review.queue`` searches this tuple and ``Case`` indexes it, so the two cannot drift.
CASE_SEARCH_COLUMNS = ("code", "subject", "details")
# The open statuses as SQL, for the partial index of the queue's default tab.
OPEN_PREDICATE = f"status IN ({', '.join(repr(str(s)) for s in sorted(OPEN_STATUSES))})"


def _trigram_index(column: str) -> Index:
    """A PostgreSQL GIN trigram index on ``column`` of ``cases``.

    It answers ``ILIKE '%word%'`` without reading every case (pg_trgm takes trigrams from Thai text
    too). PostgreSQL only: SQLite has no such index and its search stays a scan.
    """
    return Index(
        f"ix_cases_{column}_trgm",
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")


class Case(OrganizationOwned, GroupedStatus, CreatedAtMixin, Base):
    """Anything a resident sends through the general track (เรื่อง)."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint(
            "organization_id", "fiscal_year", "sequence", name="uq_cases_organization_sequence"
        ),
        UniqueConstraint("organization_id", "code", name="uq_cases_organization_code"),
        # Every query on cases runs in one body (app.organizations.scope), so each index the
        # queue and the reports use starts with organization_id: a body's rows are one range of
        # it however many bodies share the table (figures: bench/README.md, platform.py).
        # The queue's default tab, open cases by due date: an ordered range, whatever the depth.
        Index(
            "ix_cases_organization_open_due",
            "organization_id",
            "answer_due",
            "id",
            postgresql_where=text(OPEN_PREDICATE),
            sqlite_where=text(OPEN_PREDICATE),
        ),
        # The "all" tab by due date, and a search's matches walked in that order: without it a
        # large body's every case is sorted for one page (4 s for 1.2 M cases, migration 0029).
        Index("ix_cases_organization_due", "organization_id", "answer_due", "id"),
        # One status's tab by due date, and the supervisor's tab counts: one status's range each,
        # read from the index alone (app.queue.status_tab_counts).
        Index("ix_cases_organization_status_due", "organization_id", "status", "answer_due", "id"),
        # An officer's tab counts: one status of their departments' cases is one range.
        Index("ix_cases_organization_department", "organization_id", "department_id", "status"),
        Index("ix_cases_organization_received", "organization_id", "received_at", "id"),
        Index("ix_cases_organization_activity", "organization_id", "last_activity_at", "id"),
        # Reports and public statistics count a period's cases by category (merged duplicates
        # left out): this index answers those counts without reading the wide case rows.
        Index(
            "ix_cases_report_counts",
            "organization_id",
            "received_at",
            "category_id",
            postgresql_where=text("merged_into_id IS NULL"),
            sqlite_where=text("merged_into_id IS NULL"),
        ),
        *(_trigram_index(column) for column in CASE_SEARCH_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.RECEIVED)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))

    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    location_text: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    # Personal data: minimal, all optional, never shown on public pages.
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The LINE account the resident filed through ('' the body's own, 'platform'): its user id
    # means something only to that account, and pushes go out with its token.
    line_account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    privacy_notice_version: Mapped[str] = mapped_column(String(20), default="")
    # The resident's choice at filing: an officer may publish the case (never contact details).
    publication_allowed: Mapped[bool] = mapped_column(Boolean, default=False)

    # Random per case; the status-link token is an HMAC of it, so a database dump alone
    # does not give anyone the residents' links.
    token_salt: Mapped[str] = mapped_column(String(32))

    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledge_due: Mapped[date] = mapped_column(Date)
    answer_due: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime | None] = mapped_column()
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # A hand-off to another body on the platform (``review.forwarding``): the case made there,
    # with that body's own code and due dates, which this one's resident link follows. Keys
    # across bodies: each side reads the other's row only through ``cases.forwarding``.
    forwarded_to_organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    forwarded_to_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # On the receiving side: the body the case came from.
    forwarded_from_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id")
    )
    # Set when personal data was removed after the retention period (PDPA); figures remain.
    anonymised_at: Mapped[datetime | None] = mapped_column()
    # The officer working the case, if one was named (the department is always set).
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    # Optimistic locking: an UPDATE that finds another version raises StaleDataError.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    category: Mapped[Category] = relationship()
    department: Mapped[Department] = relationship()
    assigned_to: Mapped[User | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", order_by="Attachment.id"
    )
    subscribers: Mapped[list[CaseSubscriber]] = relationship(
        back_populates="case", order_by="CaseSubscriber.id", cascade="all, delete-orphan"
    )


class EventType(StrEnum):
    """Kinds of timeline entries."""

    RECEIVED = "received"
    STATUS_CHANGED = "status_changed"
    REPLY = "reply"
    NOTE = "note"
    ASSIGNED = "assigned"
    ATTACHMENT_ADDED = "attachment_added"
    RATED = "rated"
    REOPENED = "reopened"
    MERGED = "merged"
    PUBLISHED = "published"
    PUBLICATION_EDITED = "publication_edited"
    UNPUBLISHED = "unpublished"


class CaseEvent(OrganizationOwned, CreatedAtMixin, Base):
    """One entry of a case's timeline; ``is_public`` ones are shown to the resident."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(30))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text, default="")
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    # The staff member who wrote or caused the entry; None for the resident or the system.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="events")
    author: Mapped[User | None] = relationship()


class AttachmentPurpose(StrEnum):
    """Who added a file and why: the resident's own (with the case or on reopening), or an
    officer's photo of the fix (ภาพหลังดำเนินการ)."""

    RESIDENT = "resident"
    AFTER = "after"


class Attachment(OrganizationOwned, CreatedAtMixin, Base):
    """A file sent with a case, stored outside the web root under a random name.

    A row without ``case_id`` is staged: accepted from a form that was sent back for correction
    (or a LINE chat not yet confirmed) and attached when the case is submitted.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    staging_token: Mapped[str | None] = mapped_column(String(64), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    metadata_stripped: Mapped[bool] = mapped_column(Boolean, default=True)
    purpose: Mapped[str] = mapped_column(
        String(20), default=AttachmentPurpose.RESIDENT, server_default=AttachmentPurpose.RESIDENT
    )

    case: Mapped[Case | None] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        """Whether the file is a photo (as opposed to a PDF)."""
        return self.content_type.startswith("image/")


class SubscriberKind(StrEnum):
    """Why a resident hears about someone else's case."""

    SUPPORT = "support"  # แจ้งเหมือนกัน: the same problem affects them; counted on the case
    FOLLOW = "follow"  # ติดตามเรื่องนี้: they only want to know what happens


class CaseSubscriber(OrganizationOwned, CreatedAtMixin, Base):
    """A supporter or follower of a case: told of its public changes through the outbox.

    The contact details are personal data kept privately with the case (never in the outbox:
    the worker looks the address up at delivery), shown only to staff, and removed with the
    case's own when it is anonymised. ``stopped_at`` is set by the one-click unfollow link;
    a supporter stays counted after stopping the messages.
    """

    __tablename__ = "case_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    privacy_notice_version: Mapped[str] = mapped_column(String(20), default="")
    stopped_at: Mapped[datetime | None] = mapped_column()

    case: Mapped[Case] = relationship(back_populates="subscribers")

    @property
    def is_supporter(self) -> bool:
        """Whether this resident reported the same problem (as opposed to only following)."""
        return self.kind == SubscriberKind.SUPPORT
