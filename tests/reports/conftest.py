"""A small fixed data set whose figures were counted by hand (see each case's comment).

Thai holidays that matter here: 13 Oct, 23 Oct, 5 Dec, 10 Dec, 31 Dec 2025, 1-2 Jan, 3 Mar,
6 Apr and 13-15 Apr 2026. Fiscal year 2569: round 1 = 1 Oct 2025-31 Mar 2026, round 2 =
1 Apr-30 Sep 2026. Round 1 of 2568 (Oct 2024-Mar 2025) has no cases at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask

from app.calendar import BANGKOK
from app.extensions import db
from cases.models import Case, CaseKind, Channel
from tests.factories import make_case

TODAY = date(2026, 11, 24)


def bkk(*parts: int) -> datetime:
    """An aware Bangkok timestamp."""
    return datetime(*parts, tzinfo=BANGKOK)  # type: ignore[misc]


def add_case(received: datetime, category: str = "roads", **columns: Any) -> Case:
    """A case through the intake service, then workflow columns set directly."""
    channel = columns.pop("channel", Channel.WEB)
    kind = columns.pop("kind", CaseKind.COMPLAINT)
    subject = columns.pop("subject", "ถนนเป็นหลุม")
    details = columns.pop("details", "หลุมลึกมาก")
    case, _ = make_case(
        received_at=received,
        category=category,
        channel=channel,
        kind=kind,
        subject=subject,
        details=details,
    )
    for name, value in columns.items():
        setattr(case, name, value)
    db.session.flush()
    return case


@dataclass
class Dataset:
    """The cases of the fixed data set, by letter."""

    cases: dict[str, Case]


@pytest.fixture
def dataset(app: Flask) -> Dataset:
    """Five cases in round 1 of 2569, one merged duplicate, one just before, one just after."""
    c: dict[str, Case] = {}
    # A: Mon 6 Oct 2025; ack due 9 Oct, answer due 29 Oct. Acknowledged after 1 working day,
    # resolved after 9 (7-10, 14-17, 20 Oct): both in time. Rated 5.
    c["A"] = add_case(
        bkk(2025, 10, 6, 10, 0),
        subject="ถนนเป็นหลุมลึก",
        details="ถนนในหมู่ 4 เป็นหลุม ขอให้ซ่อมด่วน",
        status="resolved",
        acknowledged_at=bkk(2025, 10, 7, 9, 0),
        resolved_at=bkk(2025, 10, 20, 15, 0),
        rating=5,
    )
    # B: Mon 10 Nov 2025 by LINE; ack due 13 Nov, answer due 1 Dec. Acknowledged 14 Nov
    # (4 working days, late), resolved 15 Dec (23 working days, late). Rated 3.
    c["B"] = add_case(
        bkk(2025, 11, 10, 9, 0),
        channel=Channel.LINE,
        subject="ถนนชำรุด",
        details="ถนนเสียหายมาก",
        status="resolved",
        acknowledged_at=bkk(2025, 11, 14, 9, 0),
        resolved_at=bkk(2025, 12, 15, 9, 0),
        rating=3,
    )
    # C: Thu 20 Nov 2025 by phone, a grievance about water; ack due 25 Nov, answer due 15 Dec.
    # Acknowledged 21 Nov (1 day, in time), never answered: 72 working days overdue on 31 Mar.
    c["C"] = add_case(
        bkk(2025, 11, 20, 11, 0),
        "water",
        channel=Channel.PHONE,
        kind=CaseKind.GRIEVANCE,
        subject="น้ำประปาไม่ไหล",
        details="น้ำประปาไม่ไหลสามวันแล้ว",
        status="in_progress",
        acknowledged_at=bkk(2025, 11, 21, 8, 30),
    )
    # D: Thu 15 Jan 2026, a suggestion about lights; ack due 20 Jan, answer due 5 Feb.
    # Never touched: 37 working days overdue on 31 Mar.
    c["D"] = add_case(
        bkk(2026, 1, 15, 10, 0),
        "lights",
        kind=CaseKind.SUGGESTION,
        subject="ไฟส่องสว่างดับ",
        details="ไฟดับทั้งซอย",
    )
    # E crosses the round boundary: received Mon 30 Mar 2026 (round 1), acknowledged 1 Apr
    # (2 working days, due 2 Apr), resolved 20 Apr (11 working days, due 24 Apr). On 31 Mar it
    # is still waiting to be acknowledged and not overdue. Rated 4.
    c["E"] = add_case(
        bkk(2026, 3, 30, 14, 0),
        subject="ถนนเป็นหลุม",
        details="หลุมลึกมาก บ้านเลขที่ 12",
        status="resolved",
        acknowledged_at=bkk(2026, 4, 1, 10, 0),
        resolved_at=bkk(2026, 4, 20, 10, 0),
        rating=4,
    )
    # F: a duplicate merged into A; never counted.
    c["F"] = add_case(bkk(2025, 10, 7, 8, 0), merged_into_id=c["A"].id, status="closed")
    # G: 23:30 on 30 Sep 2025 in Bangkok (16:30 UTC): the last round of 2568, not this one.
    c["G"] = add_case(bkk(2025, 9, 30, 23, 30), "water")
    # H: 00:30 on 1 Apr 2026 in Bangkok (17:30 UTC on 31 Mar): round 2, not round 1.
    c["H"] = add_case(bkk(2026, 4, 1, 0, 30), channel=Channel.FACEBOOK)
    db.session.commit()
    return Dataset(c)
