"""The short Thai paragraph that opens a summary, written from its figures.

The officer may edit it before export (``ReportNote.narrative``); this is only the first draft,
in the plain style of the reports an อบต. files today.
"""

from __future__ import annotations

from flask_babel import gettext as _

from reports.labels import (
    ANSWERED,
    at_least,
    category_name,
    day_label,
    month_label,
    number,
    period_label,
)
from reports.summary import Figures, SummaryData


def _largest(groups: dict[object, Figures], order: list[object]) -> tuple[object, int] | None:
    """The key with the most cases (the first in ``order`` on a tie), or None if all are 0."""
    best: tuple[object, int] | None = None
    for key in order:
        count = groups[key].received if key in groups else 0
        if count and (best is None or count > best[1]):
            best = (key, count)
    return best


def _change_sentence(data: SummaryData) -> str:
    total, previous = data.figures.total.received, data.previous_total
    if previous == 0:
        return ""
    if total == previous:
        return _("เท่ากับรอบก่อนหน้า")
    pct = number(abs(total - previous) * 100 / previous, 1)
    if total > previous:
        return _(
            "เพิ่มขึ้นร้อยละ %(pct)s จากรอบก่อนหน้า (%(previous)s เรื่อง)",
            pct=pct,
            previous=number(previous),
        )
    return _(
        "ลดลงร้อยละ %(pct)s จากรอบก่อนหน้า (%(previous)s เรื่อง)",
        pct=pct,
        previous=number(previous),
    )


def _growth_sentence(data: SummaryData) -> str:
    by_category = data.figures.groups["category"]
    growth = [
        (
            (by_category[cid].received if cid in by_category else 0)
            - data.previous_by_category.get(cid, 0),
            cid,
        )
        for cid in data.categories
    ]
    best = max(growth, key=lambda item: item[0], default=(0, None))
    if best[0] <= 0 or data.previous_total == 0:
        return ""
    return _(
        "ประเภทเรื่องที่เพิ่มขึ้นมากที่สุดเมื่อเทียบกับรอบก่อนหน้าคือ %(category)s (เพิ่มขึ้น %(delta)s เรื่อง)",
        category=category_name(data.categories[best[1]]),  # type: ignore[index]
        delta=number(best[0]),
    )


def _timeliness_sentences(data: SummaryData) -> list[str]:
    total = data.figures.total
    sentences = []
    if total.ack_pct is not None or total.answer_pct is not None:
        sentences.append(
            _(
                "ตอบรับเรื่องภายในกำหนดร้อยละ %(ack)s และแจ้งผลการดำเนินการภายในกำหนดร้อยละ %(answer)s",
                ack=number(total.ack_pct, 1),
                answer=number(total.answer_pct, 1),
            )
        )
    half, most = at_least(data.days.answer_median), at_least(data.days.answer_p90)
    if half is not None and most is not None:
        sentences.append(
            _(
                "ครึ่งหนึ่งของเรื่องแจ้งผลภายใน %(half)s วันทำการ และเก้าในสิบภายใน %(most)s วันทำการ",
                half=number(half),
                most=number(most),
            )
        )
    stages = data.figures.groups["stage"]
    answered = stages[ANSWERED].received if ANSWERED in stages else 0
    sentences.append(
        _(
            "ณ วันที่ %(day)s ดำเนินการแล้วเสร็จ %(answered)s เรื่อง "
            "ยังไม่แล้วเสร็จ %(open)s เรื่อง เกินกำหนด %(overdue)s เรื่อง",
            day=day_label(data.as_of),
            answered=number(answered),
            open=number(total.open_at_end),
            overdue=number(data.overdue_total),
        )
    )
    if total.rated:
        sentences.append(
            _(
                "ผู้ร้องประเมินความพึงพอใจ %(rated)s ราย คะแนนเฉลี่ย %(mean)s จาก 5 คะแนน",
                rated=number(total.rated),
                mean=number(total.rating_mean, 2),
            )
        )
    return sentences


def generate_narrative(data: SummaryData, org_name: str) -> str:
    """A paragraph of plain sentences stating the main figures of ``data``."""
    total = data.figures.total.received
    period = period_label(data.period)
    if total == 0:
        return _(
            "ในช่วง%(period)s %(org)s ไม่ได้รับเรื่องร้องเรียน ร้องทุกข์ หรือข้อเสนอแนะ",
            period=period,
            org=org_name,
        )
    opening = _(
        "ในช่วง%(period)s %(org)s ได้รับเรื่องร้องเรียน ร้องทุกข์ และข้อเสนอแนะทั้งสิ้น %(total)s เรื่อง",
        period=period,
        org=org_name,
        total=number(total),
    )
    sentences = [" ".join(filter(None, [opening, _change_sentence(data)]))]
    months = [f"{y:04d}-{m:02d}" for y, m in data.period.months()]
    busiest = _largest(data.figures.groups["month"], list(months))
    if busiest:
        year, month = (int(part) for part in str(busiest[0]).split("-"))
        sentences.append(
            _(
                "เดือนที่ได้รับเรื่องมากที่สุดคือ %(month)s จำนวน %(count)s เรื่อง",
                month=month_label(year, month),
                count=number(busiest[1]),
            )
        )
    top = _largest(data.figures.groups["category"], list(data.categories))
    if top:
        sentences.append(
            _(
                "ประเภทเรื่องที่ได้รับมากที่สุดคือ %(category)s จำนวน %(count)s เรื่อง",
                category=category_name(data.categories[top[0]]),  # type: ignore[index]
                count=number(top[1]),
            )
        )
    sentences.append(_growth_sentence(data))
    sentences.extend(_timeliness_sentences(data))
    return " ".join(s for s in sentences if s)
