"""Published cases (เรื่องที่เผยแพร่): what the public list, case page and map may show.

A case is public only while it has a visible ``Publication``, which an officer made from a case
whose resident allowed it. The publication holds the officer's public title, description and
place (the resident's own words stay on the case, staff-only) and the public copies of the
photos chosen, with any regions blacked out and no metadata; the originals stay staff-only.
Nothing here reads contact details: the public pages are built from these rows, the case's
category, status and dates, and its public replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app import uploads
from app.calendar import bangkok_midnight
from app.extensions import db
from app.models import Base, CreatedAtMixin, OrganizationOwned, utcnow
from app.statuses import Status
from cases.models import Attachment, Case, CaseEvent, EventType

PUBLIC_TITLE_MAX = 200
PUBLIC_DESCRIPTION_MAX = 2000
PUBLIC_PLACE_MAX = 300
PAGE_SIZE = 20
MAP_CASES_MAX = 500


class Publication(OrganizationOwned, CreatedAtMixin, Base):
    """An officer's approval to show a case publicly, with the public wording."""

    __tablename__ = "case_publications"
    __table_args__ = (UniqueConstraint("case_id", name="uq_case_publications_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(PUBLIC_TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(PUBLIC_PLACE_MAX), default="")
    # Whether the map shows the case's pin (the officer may keep a private address off it).
    show_position: Mapped[bool] = mapped_column(Boolean, default=True)
    # False once hidden again; the row stays so publishing again starts from the last wording.
    visible: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    photos: Mapped[list[PublicPhoto]] = relationship(
        back_populates="publication", order_by="PublicPhoto.id", cascade="all, delete-orphan"
    )


class PublicPhoto(OrganizationOwned, CreatedAtMixin, Base):
    """The public copy of one of the resident's photos: redacted, re-encoded, no EXIF."""

    __tablename__ = "public_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("case_publications.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"))
    # Two JPEG copies under random names in UPLOAD_DIR: the case page's and the list's thumbnail.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    thumb_name: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    # The blacked-out rectangles as fractions of the upright photo: [[x, y, w, h], ...].
    redactions: Mapped[list[list[float]]] = mapped_column(JSON, default=list)

    publication: Mapped[Publication] = relationship(back_populates="photos")
    attachment: Mapped[Attachment] = relationship()


@dataclass(frozen=True)
class PublicFilters:
    """What the public list and map are narrowed by (all optional)."""

    category_id: int | None = None
    status: str = ""
    place: str = ""
    received_from: date | None = None
    received_to: date | None = None


def _visible() -> Any:
    return (
        select(Publication)
        .join(Publication.case)
        .where(Publication.visible.is_(True), Case.publication_allowed.is_(True))
    )


def _filtered(query: Any, filters: PublicFilters) -> Any:
    if filters.category_id:
        query = query.where(Case.category_id == filters.category_id)
    if filters.status in Status.__members__.values():
        query = query.where(Case.status == filters.status)
    if filters.place:
        pattern = f"%{filters.place}%"
        query = query.where(or_(Publication.place.ilike(pattern), Publication.title.ilike(pattern)))
    if filters.received_from:
        query = query.where(Case.received_at >= bangkok_midnight(filters.received_from))
    if filters.received_to:
        next_day = date.fromordinal(filters.received_to.toordinal() + 1)
        query = query.where(Case.received_at < bangkok_midnight(next_day))
    return query


def published_page(filters: PublicFilters, page: int) -> tuple[list[Publication], int]:
    """One page of visible publications, newest case first, and how many there are in all."""
    query = _filtered(_visible(), filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(Publication.photos), selectinload(Publication.case))
        .order_by(Case.received_at.desc(), Case.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), total


def published_positions(filters: PublicFilters) -> list[Publication]:
    """The visible publications the map pins (position shown and known), newest first."""
    query = _filtered(_visible(), filters).where(
        Publication.show_position.is_(True), Case.latitude.is_not(None)
    )
    rows = db.session.scalars(
        query.order_by(Case.received_at.desc(), Case.id.desc()).limit(MAP_CASES_MAX)
    )
    return list(rows)


def published_case(code: str) -> Publication | None:
    """The visible publication of the case with tracking code ``code``, if any."""
    return db.session.scalar(_visible().where(Case.code == code))


def visible_photo(photo_id: int) -> PublicPhoto | None:
    """A public photo of a visible publication (a hidden case's photos are not served)."""
    return db.session.scalar(
        select(PublicPhoto)
        .join(PublicPhoto.publication)
        .join(Publication.case)
        .where(
            PublicPhoto.id == photo_id,
            Publication.visible.is_(True),
            Case.publication_allowed.is_(True),
        )
    )


def public_replies(case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    """The officers' public replies of each case, oldest first."""
    replies: dict[int, list[CaseEvent]] = {case_id: [] for case_id in case_ids}
    rows = db.session.scalars(
        select(CaseEvent)
        .where(
            CaseEvent.case_id.in_(case_ids),
            CaseEvent.type == EventType.REPLY,
            CaseEvent.is_public.is_(True),
        )
        .order_by(CaseEvent.id)
    )
    for event in rows:
        replies[event.case_id].append(event)
    return replies


def publication_of(case: Case) -> Publication | None:
    """The case's publication row (visible or hidden), if it was ever published."""
    return db.session.scalar(select(Publication).where(Publication.case_id == case.id))


def delete_public_files(photos: list[PublicPhoto]) -> None:
    """Remove the stored copies (full and small) of ``photos`` from ``UPLOAD_DIR``."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    for photo in photos:
        for name in (photo.stored_name, photo.thumb_name):
            uploads.file_path(upload_dir, name).unlink(missing_ok=True)


def drop_public_photos(case: Case) -> None:
    """Delete the public copies of ``case``'s photos, files and rows (the caller commits).

    When the resident's photos go (retention), their redacted copies go with them; the
    officer's public wording stays.
    """
    publication = publication_of(case)
    if publication is not None:
        delete_public_files(publication.photos)
        publication.photos = []
