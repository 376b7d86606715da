"""Forms of the integrity track. Domain rules are checked by ``integrity.intake``."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from app.calendar import BANGKOK
from app.forms import IntakeForm, ThaiDateField, VersionedForm
from app.input import DateBounds
from integrity.intake import ReportSubmission
from integrity.labels import CHANNEL_LABELS, KIND_LABELS, OUTCOME_LABELS
from integrity.models import (
    BUDGET_KINDS,
    OFFICER_ENTRY_CHANNELS,
    Outcome,
    ReportChannel,
    ReportKind,
)

ANONYMOUS, NAMED = "anonymous", "named"


class ReportForm(IntakeForm):
    """A report of corruption or misconduct by the organization's staff."""

    KINDS: tuple[ReportKind, ...] = (ReportKind.MISCONDUCT,)

    kind = HiddenField()
    about = StringField(
        _l("ผู้ถูกกล่าวหา: ชื่อหรือตำแหน่ง (ไม่บังคับ)"), validators=[Optional(), Length(max=300)]
    )
    details = TextAreaField(_l("เกิดอะไรขึ้น"), validators=[Optional(), Length(max=10_000)])
    occurred = StringField(_l("เมื่อไร (โดยประมาณ)"), validators=[Optional(), Length(max=300)])
    location = StringField(_l("ที่ไหน"), validators=[Optional(), Length(max=300)])
    attachments = MultipleFileField(_l("แนบหลักฐาน (รูปภาพหรือไฟล์ PDF)"))
    identity = RadioField(_l("การเปิดเผยตัวตน"), default=ANONYMOUS, validate_choice=False)
    reporter_name = StringField(_l("ชื่อ-นามสกุลของผู้แจ้ง"), validators=[Optional(), Length(max=300)])
    reporter_contact = StringField(
        _l("ช่องทางติดต่อกลับ (โทรศัพท์หรือที่อยู่)"), validators=[Optional(), Length(max=300)]
    )
    news_email = EmailField(
        _l("อีเมลสำหรับแจ้งว่ามีความคืบหน้า (ไม่บังคับ)"), validators=[Optional(), Length(max=254)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.identity.choices = [
            (ANONYMOUS, str(_l("ไม่เปิดเผยตัวตน (แนะนำ)"))),
            (NAMED, str(_l("ยินดีให้ชื่อและช่องทางติดต่อกับเจ้าหน้าที่รับเรื่องทุจริต"))),
        ]
        if not self.kind.data:
            self.kind.data = self.KINDS[0].value

    def to_submission(self, staging_token: str) -> ReportSubmission:
        """The intake service's input from what was typed (only this form's kinds)."""
        return ReportSubmission(
            kind=self.kind.data if self.kind.data in self.KINDS else "",
            channel=ReportChannel.WEB,
            about=self.about.data or "",
            details=self.details.data or "",
            occurred=self.occurred.data or "",
            location=self.location.data or "",
            anonymous=self.identity.data != NAMED,
            reporter_name=self.reporter_name.data or "",
            reporter_contact=self.reporter_contact.data or "",
            news_email=self.news_email.data or "",
            staging_token=staging_token,
        )


class BudgetForm(ReportForm):
    """A staff member's question, objection or complaint about how the budget is spent."""

    KINDS = tuple(kind for kind in ReportKind if kind in BUDGET_KINDS)

    kind = RadioField(_l("ต้องการ"), validate_choice=False)
    about = StringField(
        _l("โครงการหรือรายการใช้จ่ายที่เกี่ยวข้อง"), validators=[Optional(), Length(max=300)]
    )
    details = TextAreaField(
        _l("คำถาม ข้อทักท้วง หรือข้อร้องเรียน"), validators=[Optional(), Length(max=10_000)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, str(KIND_LABELS[k])) for k in self.KINDS]


class ReceiptForm(FlaskForm):
    """Come back with the receipt."""

    receipt = StringField(_l("รหัสติดตาม 20 หลัก"), validators=[Length(max=60)])


class MessageForm(FlaskForm):
    """A message between the reporter and the integrity officers."""

    body = TextAreaField(_l("ข้อความ"), validators=[Length(max=5_000)])


class EvidenceForm(FlaskForm):
    """More evidence from the reporter."""

    attachments = MultipleFileField(_l("แนบหลักฐานเพิ่ม (รูปภาพหรือไฟล์ PDF)"))


# --- integrity officers' forms ------------------------------------------------------------


class QueueForm(FlaskForm):
    """Filters of the integrity queue (GET, no CSRF token needed)."""

    class Meta:
        csrf = False

    tab = HiddenField(default="open")
    code = StringField(_l("เลขรับเรื่อง"), validators=[Optional(), Length(max=20)])
    kind = SelectField(_l("ประเภทเรื่อง"), validate_choice=False, default="")
    overdue = BooleanField(_l("เฉพาะที่เกินกำหนด"))
    sort = SelectField(_l("เรียงตาม"), validate_choice=False, default="due")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", str(_l("ทั้งหมด")))] + [
            (k.value, str(KIND_LABELS[k])) for k in ReportKind
        ]
        self.sort.choices = [
            ("due", str(_l("กำหนดแจ้งผล"))),
            ("received", str(_l("รับเรื่องล่าสุด"))),
        ]


class StatusForm(VersionedForm):
    """One workflow action; closing needs an outcome, rejecting and reopening a reason."""

    action = HiddenField()
    reason = TextAreaField(_l("เหตุผล"), validators=[Optional(), Length(max=2_000)])
    outcome = SelectField(_l("ผลการดำเนินการ"), validate_choice=False, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = [("", "—")] + [(o.value, str(OUTCOME_LABELS[o])) for o in Outcome]


class NoteForm(VersionedForm):
    """An internal note."""

    body = TextAreaField(_l("บันทึกภายใน"), validators=[Length(max=5_000)])


class OfficerEntryForm(ReportForm):
    """A report received by post or in person, keyed in by an integrity officer."""

    KINDS = tuple(ReportKind)

    kind = SelectField(_l("ประเภทเรื่อง"), validate_choice=False)
    channel = SelectField(_l("ช่องทางที่รับ"), validate_choice=False)
    received_on = ThaiDateField(_l("วันที่รับเรื่อง"), validators=[Optional(), DateBounds()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, str(KIND_LABELS[k])) for k in self.KINDS]
        self.channel.choices = [(c.value, str(CHANNEL_LABELS[c])) for c in OFFICER_ENTRY_CHANNELS]

    def to_submission(self, staging_token: str) -> ReportSubmission:
        """As the public form, plus the channel and the day it was received."""
        submission = super().to_submission(staging_token)
        channel = self.channel.data
        submission.channel = channel if channel in OFFICER_ENTRY_CHANNELS else ""
        if self.received_on.data:
            submission.received_at = datetime.combine(self.received_on.data, time(12), BANGKOK)
        return submission
