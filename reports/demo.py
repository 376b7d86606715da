"""Demo measures for ``make run``: the last complete round's table, as officers filled it."""

from __future__ import annotations

from sqlalchemy import func, select

from app.calendar import today_in_thailand
from app.extensions import db
from reports.measures import MeasureText
from reports.models import ReportMeasure
from reports.periods import Period
from reports.services import measure_rows, save_measure

# position -> what the officers wrote as this round's result
DEMO_RESULTS = {
    0: "ติดป้าย QR code เพิ่มเพื่อน LINE ที่ศาลาประชาคมครบทุกหมู่บ้าน และประกาศเสียงตามสาย",
    3: "ประกาศขั้นตอนและกรอบเวลาบนเว็บไซต์ และทบทวนกรอบเวลาเรื่องไฟฟ้าส่องสว่างในที่ประชุมประจำเดือน",
}


def seed_demo_measures() -> int:
    """Fill the last complete round's measures if no round has any; return rows edited."""
    if db.session.scalar(select(func.count(ReportMeasure.id))):
        return 0
    period = Period.containing(today_in_thailand()).previous()
    rows = {row.position: row for row in measure_rows(period)}
    for position, result in DEMO_RESULTS.items():
        text = rows[position].text
        save_measure(period, position, MeasureText(text.measure, text.method, result, text.success))
    return len(DEMO_RESULTS)
