"""The resident's case form, shared by the complaint and feedback pages."""

from __future__ import annotations

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
    TelField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from app.forms import IntakeForm
from app.input import parse_id
from cases.labels import KIND_LABELS
from cases.models import CaseKind, Channel
from cases.services import CaseSubmission
from cases.subscribers import SubscriberDetails


def _float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


class CaseForm(IntakeForm):
    """Fields every resident case has. Domain rules are checked by the intake service.

    Only these fields are read: anything else posted (a status, a role) is ignored.
    """

    KINDS: tuple[CaseKind, ...] = ()

    kind = RadioField(_l("ประเภทเรื่อง"), validate_choice=False)
    category_id = SelectField(_l("หมวดเรื่อง"), coerce=parse_id, validate_choice=False)
    subject = StringField(_l("เรื่อง"), validators=[Optional(), Length(max=200)])
    details = TextAreaField(_l("รายละเอียด"), validators=[Optional(), Length(max=5000)])
    location_text = StringField(_l("สถานที่เกิดเหตุ"), validators=[Optional(), Length(max=300)])
    latitude = HiddenField()
    longitude = HiddenField()
    share_location = BooleanField(_l("ส่งตำแหน่งที่ตั้ง (รวมถึงพิกัดในรูปถ่าย) ให้เจ้าหน้าที่"))
    attachments = MultipleFileField(_l("แนบรูปภาพหรือไฟล์ PDF"))
    contact_name = StringField(_l("ชื่อ-นามสกุล"), validators=[Optional(), Length(max=200)])
    contact_phone = TelField(_l("เบอร์โทรศัพท์"), validators=[Optional(), Length(max=20)])
    contact_email = EmailField(_l("อีเมล"), validators=[Optional(), Length(max=254)])
    privacy_acknowledged = BooleanField(_l("ข้าพเจ้ารับทราบประกาศความเป็นส่วนตัวข้างต้น"))
    publication_allowed = BooleanField(
        _l("ยินยอมให้เผยแพร่เรื่องนี้บนหน้าสาธารณะ หลังเจ้าหน้าที่ตรวจแล้ว (ไม่แสดงชื่อและข้อมูลติดต่อ)")
    )
    # The step that shows likely duplicates: set once they were shown, so the next send files;
    # ``support_code`` is the button of the case the resident chose to support instead.
    duplicates_shown = HiddenField()
    support_code = StringField(validators=[Optional(), Length(max=20)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, str(KIND_LABELS[k])) for k in self.KINDS]
        if not self.kind.data and self.KINDS:
            self.kind.data = self.KINDS[0].value

    def to_submission(self, staging_token: str) -> CaseSubmission:
        """The intake service's input from what the resident typed."""
        share = bool(self.share_location.data)
        return CaseSubmission(
            kind=self.kind.data if self.kind.data in self.KINDS else "",
            channel=Channel.WEB,
            category_id=self.category_id.data,
            subject=self.subject.data or "",
            details=self.details.data or "",
            location_text=self.location_text.data or "",
            latitude=_float_or_none(self.latitude.data) if share else None,
            longitude=_float_or_none(self.longitude.data) if share else None,
            contact_name=self.contact_name.data or "",
            contact_phone=self.contact_phone.data or "",
            contact_email=self.contact_email.data or "",
            privacy_acknowledged=bool(self.privacy_acknowledged.data),
            publication_allowed=bool(self.publication_allowed.data),
            staging_token=staging_token,
        )

    def to_supporter(self) -> SubscriberDetails:
        """The resident's contact details, for supporting a case instead of filing this one."""
        return SubscriberDetails(
            contact_name=self.contact_name.data or "",
            contact_phone=self.contact_phone.data or "",
            contact_email=self.contact_email.data or "",
            privacy_acknowledged=bool(self.privacy_acknowledged.data),
        )


class FollowForm(FlaskForm):
    """Follow a case by e-mail (ติดตามเรื่องนี้); ``next`` is the page to go back to."""

    contact_email = EmailField(_l("อีเมลที่จะให้แจ้งความคืบหน้า"), validators=[Length(max=254)])
    privacy_acknowledged = BooleanField(_l("ข้าพเจ้ายินยอมให้เก็บอีเมลนี้ไว้เพื่อแจ้งความคืบหน้าเรื่องนี้เท่านั้น"))
    next = HiddenField()

    def to_follower(self) -> SubscriberDetails:
        """What the follow service takes."""
        return SubscriberDetails(
            contact_email=self.contact_email.data or "",
            privacy_acknowledged=bool(self.privacy_acknowledged.data),
        )


class TrackForm(FlaskForm):
    """Find a case with its tracking code and the phone number given with it."""

    code = StringField(_l("เลขรับเรื่อง"), validators=[Length(max=20)])
    phone = TelField(_l("เบอร์โทรศัพท์ที่ให้ไว้"), validators=[Length(max=20)])
