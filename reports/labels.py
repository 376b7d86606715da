"""What readers of a report see for codes, months and numbers (Thai first)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from pythainlp.util import arabic_digit_to_thai_digit, thai_strftime

from reports.periods import Period

ANSWERED = "answered"
IN_PROGRESS = "in_progress"
PENDING = "pending"
STAGES = (ANSWERED, IN_PROGRESS, PENDING)

STAGE_LABELS = {
    ANSWERED: _l("ดำเนินการแล้วเสร็จ"),
    IN_PROGRESS: _l("อยู่ระหว่างดำเนินการ"),
    PENDING: _l("ยังไม่ได้ตอบรับเรื่อง"),
}


def is_thai() -> bool:
    """Whether the current language is Thai (always outside a request)."""
    return str(get_locale() or "th") == "th"


def month_label(year: int, month: int, short: bool = False) -> str:
    """``มีนาคม 2569`` in Thai (Buddhist Era), ``March 2026`` in English."""
    moment = datetime(year, month, 1)
    if is_thai():
        return thai_strftime(moment, "%b %y" if short else "%B %Y")
    return moment.strftime("%b %y" if short else "%B %Y")


def day_label(day: date, short: bool = False) -> str:
    """``31 มีนาคม 2569`` in Thai (Buddhist Era), ``31 March 2026`` in English."""
    moment = datetime(day.year, day.month, day.day)
    if is_thai():
        return thai_strftime(moment, "%-d %b %Y" if short else "%-d %B %Y")
    return moment.strftime("%-d %b %Y" if short else "%-d %B %Y")


def number(value: float | int | None, decimals: int | None = 0, thai_digits: bool = False) -> str:
    """A figure with thousands separators; ``-`` when there is none; Thai digits on request.

    ``decimals=None`` shows one decimal, or two when the value has them (a mean of 3.92).
    """
    if value is None:
        return "-"
    if decimals is None:
        decimals = 1 if round(value, 1) == value else 2
    text = f"{value:,.{decimals}f}"
    return arabic_digit_to_thai_digit(text) if thai_digits else text


def digits(text: str, thai_digits: bool) -> str:
    """``text`` with its Arabic digits turned into Thai ones when asked for."""
    return arabic_digit_to_thai_digit(text) if thai_digits else text


def category_name(category: Any) -> str:
    """A category's or department's name in the current language."""
    return str(category.name_th if is_thai() else category.name_en)


def period_label(period: Period) -> str:
    """``รอบที่ 1 ปีงบประมาณ พ.ศ. 2569 (1 ตุลาคม 2568 - 31 มีนาคม 2569)`` or a date range."""
    days = f"{day_label(period.start)} - {day_label(period.end)}"
    if period.fiscal_year is not None and period.round is not None:
        return str(
            _l(
                "รอบที่ %(round)s ปีงบประมาณ พ.ศ. %(year)s (%(days)s)",
                round=period.round,
                year=period.fiscal_year,
                days=days,
            )
        )
    return str(_l("วันที่ %(days)s", days=days))


def at_least(value: float | None) -> int | None:
    """A percentile of working days as the whole number of days it guarantees.

    With a continuous percentile ``p`` of whole-day counts, at least that share of the cases
    took ``ceil(p)`` days or fewer, so "half within ⌈median⌉ days" is always true.
    """
    return None if value is None else math.ceil(value - 1e-9)
