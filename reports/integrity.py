"""The corruption track in reports: counts by status and outcome, nothing else, ever.

The figures come from ``integrity.counts.counts_by`` (called in ``reports.services``), which
returns plain counts; no content, code or name of a report reaches this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.statuses import CLOSED_STATUSES, STATUS_LABELS, Status
from reports.statistics import suppress
from reports.tables import Cell, Table


@dataclass
class IntegrityCounts:
    """Reports received in a period: in all, misconduct vs budget, by status and outcome."""

    total: int = 0
    misconduct: int = 0
    budget: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_counts(cls, counts: dict[str, Any]) -> IntegrityCounts:
        """From the integrity track's ``counts_by`` result."""
        return cls(
            total=int(counts["total"]),
            misconduct=int(counts["misconduct"]),
            budget=int(counts["budget"]),
            by_status={k: int(v) for k, v in counts["by_status"].items()},
            by_outcome={k: int(v) for k, v in counts["by_outcome"].items()},
        )

    @property
    def handled(self) -> int:
        """Reports whose status is in the closed group."""
        return sum(n for status, n in self.by_status.items() if status in CLOSED_STATUSES)


def _outcome_label(code: str) -> str:
    from integrity.labels import OUTCOME_LABELS  # the track's own names of its outcomes

    return str(OUTCOME_LABELS.get(code, code))  # type: ignore[call-overload]


def integrity_tables(counts: IntegrityCounts) -> list[Table]:
    """The summary's corruption-track tables: totals, by status, by outcome."""
    overview = Table(
        "integrity",
        _("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ (จำนวนเท่านั้น)"),
        [_("รายการ"), _("จำนวน")],
        [
            [_("ได้รับทั้งหมด"), counts.total],
            [_("การทุจริตและประพฤติมิชอบของเจ้าหน้าที่"), counts.misconduct],
            [_("การสอบถาม/ทักท้วง/ร้องเรียนการใช้จ่ายงบประมาณ"), counts.budget],
        ],
    )
    statuses: list[list[Cell]] = [
        [str(STATUS_LABELS[s]), counts.by_status.get(s.value, 0)]
        for s in Status
        if counts.by_status.get(s.value)
    ]
    by_status = Table(
        "integrity_status", _("เรื่องร้องเรียนการทุจริต แยกตามสถานะ"), [_("สถานะ"), _("จำนวน")], statuses
    )
    outcomes: list[list[Cell]] = [
        [_outcome_label(code), n] for code, n in sorted(counts.by_outcome.items())
    ]
    by_outcome = Table(
        "integrity_outcome",
        _("เรื่องร้องเรียนการทุจริต แยกตามผลการดำเนินการ"),
        [_("ผลการดำเนินการ"), _("จำนวน")],
        outcomes,
    )
    return [overview, by_status, by_outcome]


def integrity_year_table(by_year: dict[int, IntegrityCounts], minimum: int) -> Table:
    """Public counts per fiscal year (received, handled, pending), small counts suppressed."""
    matrix = [[c.total, c.handled, c.total - c.handled] for c in by_year.values()]
    matrix.append([sum(column) for column in zip(*matrix, strict=True)])
    table = Table(
        "integrity",
        _("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ (จำนวนเท่านั้น)"),
        [_("ปีงบประมาณ"), _("รับเรื่อง"), _("ดำเนินการแล้วเสร็จ"), _("อยู่ระหว่างดำเนินการ")],
    )
    names = [_("พ.ศ. %(year)s", year=year) for year in by_year] + [_("รวม")]
    for name, row in zip(names, suppress(matrix, minimum), strict=True):
        table.rows.append([name, *[f"<{minimum}" if v is None else v for v in row]])
    return table
