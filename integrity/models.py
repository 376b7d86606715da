"""Tables of the integrity track, apart from the general ``cases`` tables.

Columns typed ``EncryptedText`` hold Fernet tokens (see ``integrity.crypto``). What stays in
clear is what the queue and the six-monthly counts need: kind, channel, status, outcome, dates.
No IP address, user agent or LINE id is ever stored with a report.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models import Base, CreatedAtMixin, OrganizationOwned, utcnow
from app.statuses import GroupedStatus, Status
from integrity.crypto import EncryptedText

REPORT_PREFIX = "I"


class ReportKind(StrEnum):
    """What a report is: misconduct of staff, or a staff member's word about spending."""

    MISCONDUCT = "misconduct"
    BUDGET_QUESTION = "budget_question"
    BUDGET_OBJECTION = "budget_objection"
    BUDGET_COMPLAINT = "budget_complaint"

    @property
    def is_budget(self) -> bool:
        """Budget objections are counted separately in the summaries."""
        return self in BUDGET_KINDS


BUDGET_KINDS = frozenset(
    {ReportKind.BUDGET_QUESTION, ReportKind.BUDGET_OBJECTION, ReportKind.BUDGET_COMPLAINT}
)


class ReportChannel(StrEnum):
    """How a report arrived: the web form, or keyed in by an integrity officer."""

    WEB = "web"
    POST = "post"
    WALK_IN = "walk_in"


OFFICER_ENTRY_CHANNELS = (ReportChannel.POST, ReportChannel.WALK_IN)


class Outcome(StrEnum):
    """How an integrity report ended."""

    INVESTIGATED = "investigated"
    DISCIPLINARY_ACTION = "disciplinary_action"
    REFERRED_NACC = "referred_nacc"
    UNFOUNDED = "unfounded"


class IntegrityReport(OrganizationOwned, GroupedStatus, CreatedAtMixin, Base):
    """A report of corruption or misconduct, or a budget objection (its own table)."""

    __tablename__ = "integrity_reports"
    __table_args__ = (
        UniqueConstraint(
            "organization_id",
            "fiscal_year",
            "sequence",
            name="uq_integrity_reports_organization_sequence",
        ),
        UniqueConstraint("organization_id", "code", name="uq_integrity_reports_organization_code"),
        UniqueConstraint(
            "organization_id", "receipt_lookup", name="uq_integrity_reports_organization_lookup"
        ),
        Index("ix_integrity_reports_status_answer_due", "status", "answer_due", "id"),
        Index("ix_integrity_reports_received_at", "received_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=Status.RECEIVED)
    outcome: Mapped[str | None] = mapped_column(String(30))

    # Encrypted content: who or what the report is about, what, when, where.
    about: Mapped[str | None] = mapped_column(EncryptedText)
    details: Mapped[str | None] = mapped_column(EncryptedText)
    occurred: Mapped[str | None] = mapped_column(EncryptedText)
    location: Mapped[str | None] = mapped_column(EncryptedText)
    # Encrypted identity, all optional; anonymous is the default.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    reporter_name: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_contact: Mapped[str | None] = mapped_column(EncryptedText)
    # Only ever told "there is news on your report".
    news_email: Mapped[str | None] = mapped_column(EncryptedText)
    # SHA-256 of what was sent, printed on the proof of submission.
    content_digest: Mapped[str | None] = mapped_column(String(64))

    receipt_lookup: Mapped[str] = mapped_column(String(12))
    receipt_hash: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the nonce of the browser session that opened the report with the receipt;
    # cleared by "Leave" (and replaced by the next opening), so older cookies stop working.
    reporter_session: Mapped[str | None] = mapped_column(String(64))

    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledge_due: Mapped[date] = mapped_column(Date)
    answer_due: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when an officer wrote to the reporter; cleared when the reporter reads it.
    unread_by_reporter: Mapped[bool] = mapped_column(Boolean, default=False)
    purged_at: Mapped[datetime | None] = mapped_column()

    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    messages: Mapped[list[IntegrityMessage]] = relationship(
        back_populates="report", order_by="IntegrityMessage.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[IntegrityAttachment]] = relationship(
        back_populates="report", order_by="IntegrityAttachment.id"
    )

    @property
    def is_budget(self) -> bool:
        """Whether this is a staff budget objection rather than a misconduct report."""
        return ReportKind(self.kind).is_budget


class MessageType(StrEnum):
    """Entries of a report's timeline."""

    RECEIVED = "received"
    FROM_REPORTER = "from_reporter"
    TO_REPORTER = "to_reporter"
    NOTE = "note"
    STATUS_CHANGED = "status_changed"
    EVIDENCE_ADDED = "evidence_added"


# What the reporter sees of the timeline (never internal notes).
REPORTER_VISIBLE = frozenset(
    {
        MessageType.RECEIVED,
        MessageType.FROM_REPORTER,
        MessageType.TO_REPORTER,
        MessageType.STATUS_CHANGED,
        MessageType.EVIDENCE_ADDED,
    }
)


class IntegrityMessage(OrganizationOwned, CreatedAtMixin, Base):
    """One timeline entry: a message either way, an internal note, a change of status."""

    __tablename__ = "integrity_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("integrity_reports.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(30))
    body: Mapped[str | None] = mapped_column(EncryptedText)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    # The staff account that wrote it (no foreign key: accounts live in another capability).
    staff_id: Mapped[int | None] = mapped_column(Integer)

    report: Mapped[IntegrityReport] = relationship(back_populates="messages")

    @property
    def reporter_visible(self) -> bool:
        """Whether the reporter sees this entry on the follow-up page."""
        return MessageType(self.type) in REPORTER_VISIBLE


class IntegrityAttachment(OrganizationOwned, CreatedAtMixin, Base):
    """An evidence file, encrypted on disk under a random name; staged until the report exists."""

    __tablename__ = "integrity_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("integrity_reports.id", ondelete="CASCADE"), index=True
    )
    staging_token: Mapped[str | None] = mapped_column(String(64), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    # A file name can name a person ("slip_somchai.pdf"): encrypted too.
    original_name: Mapped[str] = mapped_column(EncryptedText)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # Of the plain content, for the proof of submission.
    sha256: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(20), default="reporter")

    report: Mapped[IntegrityReport | None] = relationship(back_populates="attachments")
