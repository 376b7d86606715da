"""Tables of the reports: the working-day calendar used by SQL, officers' notes and measures."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, OrganizationOwned, utcnow


class WorkingDay(Base):
    """One calendar day with its working-day ordinal, so SQL can count Thai working days.

    ``ordinal`` is the number of working days from a fixed anchor up to and including ``day``
    (negative before the anchor). The working days after ``a`` up to and including ``b`` are then
    ``ordinal(b) - ordinal(a)``: the same figure as ``app.calendar.working_days_between``,
    computed by a join instead of a Python loop per case, so medians and percentiles of
    working days stay inside the database.
    """

    __tablename__ = "report_working_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)


class ReportNote(OrganizationOwned, Base):
    """What an officer wrote for one period: the findings paragraph of the memo."""

    __tablename__ = "report_notes"
    __table_args__ = (
        UniqueConstraint(
            "organization_id", "period_key", name="uq_report_notes_organization_period"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40))
    narrative: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReportMeasure(OrganizationOwned, Base):
    """One row of the ITA measures table of a round, as the officers wrote it.

    ``indicator`` is the ITA indicator the row belongs to (``eit7``, ``eit8``, ``iit2``) and
    ``figure`` names the system figures printed under its result (``channels``, ``standard``,
    ``opinion``, ``integrity``, ``budget`` or empty): the text is the officers', the figures are
    always computed afresh, so an edited row never carries a stale number.
    """

    __tablename__ = "report_measures"
    __table_args__ = (
        UniqueConstraint(
            "organization_id", "period_key", "position", name="uq_report_measures_position"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(10))
    figure: Mapped[str] = mapped_column(String(20), default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    success: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
