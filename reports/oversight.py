"""What an oversight office sees: the bodies of its area and their roll-up as one table.

An oversight account (``app.platform``) is attached to a province, or to a district of it; its
area's bodies are the active organizations of that province (and district). The roll-up table is
the one shape the page, the PDF and the XLSX render, as the six-monthly summary's tables are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geothai
from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.database import AnySession, unit_of_work
from app.extensions import db
from app.organizations.models import Organization
from app.platform.models import PlatformAccount
from reports.exports import sarabun_files, to_pdf, to_xlsx
from reports.labels import day_label, period_label
from reports.periods import Period
from reports.rollup import BodyFigures, Rollup, rollup
from reports.tables import Cell, Table

ROLLUP_FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def bodies_in_area(session: AnySession, account: PlatformAccount) -> list[Organization]:
    """The active organizations of ``account``'s province (and district), by name."""
    query = select(Organization).where(
        Organization.active.is_(True), Organization.province_code == account.province_code
    )
    if account.district_code:
        query = query.where(Organization.district_code == account.district_code)
    return list(session.scalars(query.order_by(Organization.type, Organization.name_th)))


def area_label(account: PlatformAccount) -> str:
    """``จังหวัดนครราชสีมา`` or ``อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา``."""
    province = geothai.province(account.province_code or "")
    label = _("จังหวัด%(name)s", name=province.name_th if province else "-")
    district = geothai.district(account.district_code) if account.district_code else None
    return f"{_('อำเภอ%(name)s', name=district.name_th)} {label}" if district else label


@dataclass
class RollupDocument:
    """A round's roll-up over an area's bodies, labelled for every output."""

    area: str
    office: str
    period_label: str
    rollup: Rollup
    table: Table
    today: date

    @property
    def title(self) -> str:
        """The document's heading."""
        return _(
            "รายงานสรุปผลการจัดการเรื่องร้องเรียน ร้องทุกข์ ขององค์กรปกครองส่วนท้องถิ่นใน%(area)s",
            area=self.area,
        )

    def heading_rows(self) -> list[list[Cell]]:
        """Title, area, round and dates, as label/value rows (the spreadsheet's first sheet)."""
        return [
            [self.title],
            [_("พื้นที่"), self.area],
            [_("ผู้จัดทำ"), self.office],
            [_("ช่วงเวลา"), self.period_label],
            [_("ข้อมูล ณ วันที่"), day_label(self.rollup.as_of)],
            [_("วันที่จัดทำรายงาน"), day_label(self.today)],
            [_("จำนวนหน่วยงาน"), len(self.rollup.bodies)],
        ]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _cells(name: str, body: BodyFigures) -> list[Cell]:
    figures = body.figures
    mean = figures.rating_mean
    return [
        name,
        figures.received,
        body.answered,
        body.in_progress,
        body.pending,
        _percent(figures.ack_pct),
        _percent(figures.answer_pct),
        figures.overdue,
        figures.rated,
        None if mean is None else round(mean, 2),
        body.integrity_received,
        body.integrity_handled,
    ]


def _columns() -> list[str]:
    """The figures of a body, in the roll-up's order (after its name)."""
    return [
        _("รับเรื่อง"),
        _("ดำเนินการแล้วเสร็จ"),
        _("อยู่ระหว่างดำเนินการ"),
        _("ยังไม่ได้ตอบรับเรื่อง"),
        _("ตอบรับภายในกำหนด (%)"),
        _("แจ้งผลภายในกำหนด (%)"),
        _("เกินกำหนด ณ สิ้นรอบ"),
        _("ผู้ประเมินความพึงพอใจ"),
        _("ความพึงพอใจเฉลี่ย (เต็ม 5)"),
        _("เรื่องทุจริตที่ได้รับ (จำนวน)"),
        _("เรื่องทุจริตที่ดำเนินการแล้วเสร็จ (จำนวน)"),
    ]


def rollup_table(figures: Rollup, names: dict[int, str]) -> Table:
    """One row per body (its figures of the round) and the area's total; counts only."""
    table = Table("rollup", _("ผลการจัดการเรื่องร้องเรียนแยกตามหน่วยงาน"), [_("หน่วยงาน"), *_columns()])
    for body in figures.bodies:
        table.rows.append(_cells(names[body.organization_id], body))
    table.rows.append(_cells(_("รวมทั้งพื้นที่"), figures.total))
    return table


def body_table(name: str, rounds: list[tuple[Period, Rollup]]) -> Table:
    """One body's figures, a column per round: the roll-up's row for it, turned on its side."""
    columns = [
        _("รอบที่ %(round)s/%(year)s", round=period.round, year=period.fiscal_year)
        for period, _figures in rounds
    ]
    values = [_cells(name, figures.bodies[0])[1:] for _period, figures in rounds]
    table = Table("body", name, [_("รายการ"), *columns])
    for index, label in enumerate(_columns()):
        table.rows.append([label, *[row[index] for row in values]])
    return table


def rollup_document(
    session: AnySession, account: PlatformAccount, period: Period, today: date
) -> RollupDocument:
    """The roll-up of ``account``'s area for ``period``, as known on ``today``."""
    bodies = bodies_in_area(session, account)
    figures = rollup(session, [b.id for b in bodies], period, today)
    names = {b.id: b.name_th or b.slug for b in bodies}
    return RollupDocument(
        area=area_label(account),
        office=account.display_name,
        period_label=period_label(period),
        rollup=figures,
        table=rollup_table(figures, names),
        today=today,
    )


def rollup_file(document: RollupDocument, fmt: str) -> bytes:
    """The roll-up as ``pdf`` (Thai digits, the summary's official look) or ``xlsx`` bytes."""
    if fmt == "pdf":
        html = render_template(
            "reports/rollup_print.html",
            doc=document,
            thai_digits=True,
            fonts={name: path.as_uri() for name, path in sarabun_files().items()},
        )
        return to_pdf(html)
    return to_xlsx(document.heading_rows(), [document.table])


def rollup_filename(document: RollupDocument, fmt: str) -> str:
    """``rongrian-rollup-2569-1.xlsx``."""
    return f"rongrian-rollup-{document.rollup.period.key}.{fmt}"


def record_rollup_export(period_key: str, fmt: str, bodies: int) -> None:
    """Audit that the signed-in oversight account downloaded a roll-up (its own transaction)."""
    with unit_of_work(db.session):
        audit.record(
            "oversight.rollup_exported",
            target_type="rollup",
            target_id=period_key,
            detail={"format": fmt, "bodies": bodies},
        )
