"""The ITA measures table of a round: the officers' rows and the figures the system knows.

Rows are grouped by ITA indicator as in the report an อบต. files (EIT 7 communication, EIT 8
improving the work, IIT 2 budget spending), in its four columns. A round without saved rows
starts from the latest earlier round's rows, or from ``STARTING_ROWS`` (written from the
reference report of อบต.จอหอ and what Rongrian does) on a new installation. Under each row's
result the figures of its ``figure`` key are printed, computed afresh from the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.labels import CHANNEL_LABELS
from cases.models import CaseKind, Channel
from reports.labels import at_least, number

if TYPE_CHECKING:
    from reports.integrity import IntegrityCounts
    from reports.summary import SummaryData

INDICATORS = {
    "eit7": (_l("เครื่องมือการประเมิน EIT"), _l("ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร")),
    "eit8": (_l("เครื่องมือการประเมิน EIT"), _l("ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน")),
    "iit2": (_l("เครื่องมือการประเมิน IIT"), _l("ตัวชี้วัดที่ ๒ การใช้งบประมาณ")),
}
FIGURES = ("channels", "questions", "integrity", "standard", "opinion", "budget", "")
MAX_MEASURE_CHARS = 4000


@dataclass
class MeasureText:
    """The four columns of one row, as officers write them."""

    measure: str
    method: str
    result: str
    success: str


# indicator, figure key, then the four columns (Thai, as an อบต. writes them).
STARTING_ROWS: tuple[tuple[str, str, MeasureText], ...] = (
    (
        "eit7",
        "channels",
        MeasureText(
            "การเผยแพร่ข้อมูลและช่องทางการติดต่อของหน่วยงาน",
            "๑. จัดให้มีช่องทางรับเรื่องมากกว่า ๑ ช่องทาง ได้แก่ เว็บไซต์ LINE Official Account "
            "โทรศัพท์ และที่สำนักงาน ทุกช่องทางเข้าระบบเดียวกัน\n"
            "๒. ประชาสัมพันธ์ช่องทางการติดต่อให้ประชาชนทราบ",
            "เปิดรับเรื่องผ่านหลายช่องทางและบันทึกทุกเรื่องในระบบเดียว",
            "ประชาชนเข้าถึงหน่วยงานได้ง่ายและหลากหลายช่องทางมากยิ่งขึ้น",
        ),
    ),
    (
        "eit7",
        "questions",
        MeasureText(
            "การชี้แจงและตอบคำถามเมื่อมีข้อกังวลสงสัยเกี่ยวกับการดำเนินงาน",
            "๑. มอบหมายเจ้าหน้าที่รับผิดชอบตอบข้อซักถามในแต่ละกอง\n"
            "๒. ตอบคำถามผ่านช่องทางเดียวกับที่ประชาชนถาม ภายในกรอบเวลาที่ประกาศ",
            "เจ้าหน้าที่ตอบข้อซักถามและแจ้งผลผ่านระบบ ผู้ถามติดตามได้ด้วยเลขรับเรื่อง",
            "ผู้มาติดต่อได้รับคำชี้แจงที่ถูกต้องและรวดเร็ว",
        ),
    ),
    (
        "eit7",
        "integrity",
        MeasureText(
            "ช่องทางให้ผู้มาติดต่อร้องเรียนการทุจริตของเจ้าหน้าที่ในหน่วยงาน",
            "๑. จัดให้มีช่องทางรับแจ้งเรื่องร้องเรียนการทุจริตแยกจากเรื่องร้องเรียนอื่น "
            "ผู้แจ้งไม่ต้องเปิดเผยตัวตน\n"
            "๒. ประชาสัมพันธ์ช่องทางดังกล่าวให้บุคคลภายนอกทราบอย่างสม่ำเสมอ",
            "เปิดช่องทางแจ้งเรื่องทุจริตบนเว็บไซต์ของหน่วยงาน แยกจากเรื่องร้องเรียนทั่วไป "
            "เฉพาะเจ้าหน้าที่ที่ได้รับแต่งตั้งเข้าถึงได้",
            "ประชาชนทราบและใช้ช่องทางร้องเรียนการทุจริตได้อย่างปลอดภัย",
        ),
    ),
    (
        "eit8",
        "standard",
        MeasureText(
            "การปรับปรุงคุณภาพการปฏิบัติงานและการให้บริการ",
            "๑. กำหนดขั้นตอนและกรอบระยะเวลาตอบรับและแจ้งผลของแต่ละประเภทเรื่อง\n"
            "๒. ประกาศขั้นตอนและกรอบระยะเวลาบนเว็บไซต์ของหน่วยงาน\n"
            "๓. รายงานผลต่อผู้บริหารทุก ๖ เดือน (เมษายน และตุลาคม)",
            "ระบบนับวันทำการและแจ้งเตือนเจ้าหน้าที่ก่อนครบกำหนด ผู้บริหารกำกับติดตามจากรายงานนี้",
            "ผู้มาติดต่อได้รับบริการที่รวดเร็วภายในกรอบเวลาที่ประกาศ",
        ),
    ),
    (
        "eit8",
        "opinion",
        MeasureText(
            "การเปิดโอกาสให้ผู้รับบริการและผู้มีส่วนได้ส่วนเสียมีส่วนร่วมปรับปรุงการให้บริการ",
            "๑. รับฟังข้อเสนอแนะและความคิดเห็นผ่านเว็บไซต์ LINE และกล่องรับความคิดเห็น\n"
            "๒. ให้ผู้ร้องประเมินความพึงพอใจเมื่อได้รับแจ้งผล",
            "นำข้อเสนอแนะและผลการประเมินความพึงพอใจมาปรับปรุงการให้บริการ",
            "ประชาชนมีช่องทางแสดงความคิดเห็นที่หลากหลาย",
        ),
    ),
    (
        "iit2",
        "budget",
        MeasureText(
            "การเปิดโอกาสให้บุคลากรมีส่วนร่วมตรวจสอบการใช้จ่ายงบประมาณ (สอบถาม ทักท้วง ร้องเรียน)",
            "๑. จัดให้มีช่องทางสอบถาม ทักท้วง และร้องเรียนการใช้จ่ายงบประมาณ "
            "ผ่านช่องทางแจ้งเรื่องทุจริตของหน่วยงาน\n"
            "๒. ประชาสัมพันธ์ขั้นตอนและช่องทางให้บุคลากรภายในทราบ",
            "บุคลากรใช้ช่องทางดังกล่าวได้โดยไม่ต้องเปิดเผยตัวตน และรายงานผู้บริหารทุก ๖ เดือน",
            "บุคลากรภายในมีส่วนร่วมตรวจสอบการใช้จ่ายงบประมาณมากยิ่งขึ้น",
        ),
    ),
)


@dataclass
class MeasureRow:
    """A row of the table as shown: the officers' text and the system's figures under it."""

    position: int
    indicator: str
    figure: str
    text: MeasureText
    figures: str = ""


def _channel_figures(data: SummaryData) -> str:
    groups = data.figures.groups["channel"]
    used = [(c, groups[c.value].received) for c in Channel if c.value in groups]
    if not used:
        return _("รอบนี้ยังไม่มีเรื่องเข้ามาทางช่องทางใด")
    parts = ", ".join(f"{CHANNEL_LABELS[c]} {number(n)}" for c, n in used)
    return _(
        "ช่องทางที่มีผู้ใช้ในรอบนี้ %(n)s ช่องทาง: %(parts)s เรื่อง",
        n=number(len(used)),
        parts=parts,
    )


def _question_figures(data: SummaryData) -> str:
    questions = data.figures.groups["kind"].get(CaseKind.QUESTION.value)
    if questions is None or not questions.received:
        return _("รอบนี้ไม่มีผู้สอบถาม")
    return _(
        "ได้รับคำถาม %(n)s เรื่อง ตอบภายในกำหนด %(ok)s จาก %(measured)s เรื่องที่ครบกำหนดแล้ว",
        n=number(questions.received),
        ok=number(questions.answer_in_time),
        measured=number(questions.answer_measured),
    )


def _standard_figures(data: SummaryData) -> str:
    total = data.figures.total
    if not total.received:
        return _("รอบนี้ไม่มีเรื่องที่ต้องวัดผล")
    sentences = [
        _(
            "ตอบรับเรื่องภายในกำหนด %(ack)s จาก %(ack_of)s เรื่อง "
            "แจ้งผลภายในกำหนด %(ok)s จาก %(of)s เรื่อง",
            ack=number(total.ack_in_time),
            ack_of=number(total.ack_measured),
            ok=number(total.answer_in_time),
            of=number(total.answer_measured),
        )
    ]
    half = at_least(data.days.answer_median)
    if half is not None:
        sentences.append(_("ครึ่งหนึ่งของเรื่องแจ้งผลภายใน %(n)s วันทำการ", n=number(half)))
    return " ".join(sentences)


def _opinion_figures(data: SummaryData) -> str:
    kinds = data.figures.groups["kind"]
    suggestions = (
        kinds[CaseKind.SUGGESTION.value].received if CaseKind.SUGGESTION.value in kinds else 0
    )
    total = data.figures.total
    text = _("ได้รับข้อเสนอแนะ %(n)s เรื่อง", n=number(suggestions))
    if total.rated:
        text += " " + _(
            "ผู้ร้องประเมินความพึงพอใจ %(rated)s ราย คะแนนเฉลี่ย %(mean)s จาก ๕",
            rated=number(total.rated),
            mean=number(total.rating_mean, 1),
        )
    return text


def _integrity_figures(counts: IntegrityCounts | None, budget: bool) -> str:
    if counts is None:
        return _("จำนวนเรื่องแสดงเฉพาะผู้บริหารและเจ้าหน้าที่รับเรื่องทุจริต")
    received = counts.budget if budget else counts.misconduct
    if not received:
        if budget:
            return _("รอบนี้ไม่มีการสอบถาม ทักท้วง หรือร้องเรียนการใช้จ่ายงบประมาณ")
        return _("รอบนี้ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ")
    label = (
        _("การสอบถาม ทักท้วง ร้องเรียนการใช้จ่ายงบประมาณ")
        if budget
        else _("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ")
    )
    return _(
        "%(label)s %(n)s เรื่อง (ทุกประเภทดำเนินการแล้วเสร็จ %(done)s จาก %(all)s เรื่อง)",
        label=label,
        n=number(received),
        done=number(counts.handled),
        all=number(counts.total),
    )


def figure_text(figure: str, data: SummaryData, integrity: IntegrityCounts | None) -> str:
    """The sentence of system figures printed under a row's result (empty for none)."""
    if figure == "channels":
        return _channel_figures(data)
    if figure == "questions":
        return _question_figures(data)
    if figure == "standard":
        return _standard_figures(data)
    if figure == "opinion":
        return _opinion_figures(data)
    if figure in ("integrity", "budget"):
        return _integrity_figures(integrity, budget=figure == "budget")
    return ""


def grouped_rows(rows: list[MeasureRow]) -> list[tuple[str, str, list[MeasureRow]]]:
    """``(tool, indicator title, rows)`` per indicator in report order; empty groups left out."""
    return [
        (str(tool), str(title), [r for r in rows if r.indicator == key])
        for key, (tool, title) in INDICATORS.items()
        if any(r.indicator == key for r in rows)
    ]
