"""The declarative base shared by every capability's models, and the kernel's own tables.

Departments and tracking-code sequences belong to no track: accounts, both tracks and the reports
use them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints so that Alembic migrations are reproducible on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (stored as such on every backend)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the backend.

    SQLite has no timezone type and would hand back naive values that cannot be compared with
    aware ones; PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use app.models.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of all models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012


class CreatedAtMixin:
    """A ``created_at`` column filled at insert."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganizationOwned:
    """Mixin of every model whose rows belong to one organization.

    The column is filled from the current organization when a row is flushed without one, and
    every ORM query is filtered by it (``app.organizations.scope``).
    """

    @declared_attr
    def organization_id(cls) -> Mapped[int]:  # noqa: N805 (declared_attr takes the class)
        return mapped_column(ForeignKey("organizations.id"), index=True)


class Department(OrganizationOwned, Base):
    """A unit of the organization that handles cases (กอง / สำนัก)."""

    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("organization_id", "code", name="uq_departments_organization_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TrackingSequence(OrganizationOwned, Base):
    """The last number issued per code prefix and Buddhist-Era fiscal year.

    One row per (prefix, year) is incremented with ``UPDATE ... RETURNING``; the row lock makes
    concurrent submissions on PostgreSQL wait for each other instead of reading the same number.
    """

    __tablename__ = "tracking_sequences"

    # Codes are unique within a body: each organization counts on its own.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
