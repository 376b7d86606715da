"""Organizations (หน่วยงาน / อปท.): the local bodies one installation serves.

Every table whose rows belong to a body carries ``organization_id`` through ``OrganizationOwned``;
``app.organizations.scope`` stamps new rows with the current organization and filters every ORM
query by it, so no view has to remember the filter.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models import Base, CreatedAtMixin, OrganizationOwned


class OrganizationType(StrEnum):
    """The kinds of local body (ประเภท อปท.)."""

    SAO = "sao"  # องค์การบริหารส่วนตำบล (อบต.)
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality"  # เทศบาลตำบล
    TOWN_MUNICIPALITY = "town_municipality"  # เทศบาลเมือง
    CITY_MUNICIPALITY = "city_municipality"  # เทศบาลนคร
    PAO = "pao"  # องค์การบริหารส่วนจังหวัด (อบจ.)
    OTHER = "other"


class Organization(CreatedAtMixin, Base):
    """One local body. Empty settings fall back to the installation's ``ORG_*`` defaults."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    # Empty names and contacts mean "the installation's defaults" (ORG_NAME, ORG_PHONE, ...):
    # the organization the upgrade makes from a single-body install keeps following them.
    name_th: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(30), default=OrganizationType.SAO)
    # Official area codes (geothai): a province, a district, the subdistricts served.
    province_code: Mapped[str | None] = mapped_column(String(2), index=True)
    district_code: Mapped[str | None] = mapped_column(String(4), index=True)
    subdistrict_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    office_hours: Mapped[str] = mapped_column(String(200), default="")
    line_basic_id: Mapped[str] = mapped_column(String(40), default="")
    emblem_path: Mapped[str] = mapped_column(String(300), default="")
    mail_sender_name: Mapped[str] = mapped_column(String(200), default="")
    retention_days: Mapped[int | None] = mapped_column(Integer)
    public_stats_min_count: Mapped[int | None] = mapped_column(Integer)
    # The public map's tile server (``https://host/{z}/{x}/{y}.png``) and its credit line.
    map_tile_url: Mapped[str] = mapped_column(String(300), default="")
    map_tile_attribution: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The body's data key for integrity reports, wrapped (encrypted) by the master INTEGRITY_KEY;
    # never the plain key. Written only by ``integrity.crypto`` (made on the first report).
    integrity_key: Mapped[str | None] = mapped_column(Text)
    # The body's own LINE Official Account, sealed by ``app.credentials`` (never the plain
    # values); empty: the installation's LINE_CHANNEL_* settings.
    line_secret_sealed: Mapped[str | None] = mapped_column(Text)
    line_token_sealed: Mapped[str | None] = mapped_column(Text)

    hosts: Mapped[list[OrganizationHost]] = relationship(
        back_populates="organization",
        order_by="OrganizationHost.host",
        cascade="all, delete-orphan",
    )

    @property
    def host_names(self) -> list[str]:
        """The host names that open this organization's pages."""
        return [h.host for h in self.hosts]


class OrganizationHost(Base):
    """A host name (a platform subdomain or the body's own domain) that opens one organization."""

    __tablename__ = "organization_hosts"

    host: Mapped[str] = mapped_column(String(253), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )

    organization: Mapped[Organization] = relationship(back_populates="hosts")


def owned_tables() -> set[str]:
    """The tables of every ``OrganizationOwned`` model imported so far."""
    return {
        str(getattr(mapper.local_table, "name", ""))
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, OrganizationOwned)
    }
