"""Forms of the queue, the case page and officer entry."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.calendar import BANGKOK, today_in_thailand
from app.forms import ThaiDateField, VersionedForm
from app.input import DateBounds, db_id, parse_id
from cases.forms import CaseForm
from cases.labels import CHANNEL_LABELS, KIND_LABELS
from cases.models import OFFICER_ENTRY_CHANNELS, CaseKind, Channel
from cases.publication import PUBLIC_DESCRIPTION_MAX, PUBLIC_PLACE_MAX, PUBLIC_TITLE_MAX
from cases.services import CaseSubmission
from review.publication import PublicWording, parse_boxes
from review.queue import QueueQuery
from review.workflow import ACTION_LABELS, STAFF_ACTIONS


class QueueForm(FlaskForm):
    """The queue's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    tab = HiddenField(default="open")
    q = SearchField(_l("ค้นหา (เลขรับเรื่อง เรื่อง รายละเอียด)"), validators=[Length(max=100)])
    kind = SelectField(_l("ประเภท"), validate_choice=False)
    category_id = SelectField(_l("หมวดเรื่อง"), coerce=parse_id, validate_choice=False)
    department_id = SelectField(_l("หน่วยงาน"), coerce=parse_id, validate_choice=False)
    channel = SelectField(_l("ช่องทาง"), validate_choice=False)
    mine = BooleanField(_l("เฉพาะเรื่องที่มอบหมายให้ฉัน"))
    overdue = BooleanField(_l("เฉพาะเรื่องที่เกินกำหนด"))
    received_from = ThaiDateField(_l("รับเรื่องตั้งแต่วันที่"), validators=[Optional(), DateBounds()])
    received_to = ThaiDateField(_l("ถึงวันที่"), validators=[Optional(), DateBounds()])
    sort = SelectField(_l("เรียงตาม"), validate_choice=False)
    cursor = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _l("ทั้งหมด"))]
        self.kind.choices = everything + [(k.value, KIND_LABELS[k]) for k in CaseKind]
        self.channel.choices = everything + [(c.value, CHANNEL_LABELS[c]) for c in Channel]
        self.sort.choices = [
            ("due", _l("กำหนดแจ้งผล (ใกล้สุดก่อน)")),
            ("received", _l("วันที่รับเรื่อง (ล่าสุดก่อน)")),
            ("activity", _l("ความเคลื่อนไหวล่าสุด")),
        ]

    def to_query(self) -> QueueQuery:
        """The queue service's input; invalid values are dropped, never an error page."""
        self.validate()
        return QueueQuery(
            tab=self.tab.data or "open",
            kind=self.kind.data or "",
            category_id=self.category_id.data,
            department_id=self.department_id.data,
            channel=self.channel.data or "",
            mine=bool(self.mine.data),
            overdue=bool(self.overdue.data),
            received_from=None if self.received_from.errors else self.received_from.data,
            received_to=None if self.received_to.errors else self.received_to.data,
            q=(self.q.data or "")[:100],
            sort=self.sort.data or "due",
            cursor=self.cursor.data or None,
        )


class StatusForm(VersionedForm):
    """One status action; the reason and agency are asked for where the action needs them."""

    action = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(_l("เหตุผล / รายละเอียด"), validators=[Length(max=2000)])
    agency = StringField(_l("หน่วยงานที่ส่งต่อ"), validators=[Length(max=200)])


class ReplyForm(VersionedForm):
    """A public reply to the resident."""

    body = TextAreaField(_l("ข้อความถึงผู้ร้อง"), validators=[Length(max=5000)])


class NoteForm(VersionedForm):
    """An internal note."""

    body = TextAreaField(_l("บันทึกภายใน (ผู้ร้องไม่เห็น)"), validators=[Length(max=5000)])


class AssignForm(VersionedForm):
    """Department and, optionally, officer."""

    department_id = SelectField(_l("หน่วยงาน"), coerce=parse_id, validate_choice=False)
    officer_id = SelectField(_l("เจ้าหน้าที่"), coerce=parse_id, validate_choice=False)


class MergeForm(VersionedForm):
    """The code of the case this one duplicates."""

    into_code = StringField(_l("เลขรับเรื่องที่จะรวมเข้าด้วย"), validators=[Length(max=20)])


class ForwardBodyForm(VersionedForm):
    """Another body on the platform to hand the case to (nearest first), and why."""

    organization_id = SelectField(
        _l("หน่วยงานในระบบที่รับเรื่องต่อ"), coerce=parse_id, validate_choice=False
    )
    reason = TextAreaField(_l("เหตุผล / รายละเอียด (ผู้ร้องเห็นข้อความนี้)"), validators=[Length(max=2000)])


class OfficerEntryForm(CaseForm):
    """A case that arrived by phone, in person, by post...: the resident's form plus channel and
    the date it was actually received."""

    KINDS = tuple(CaseKind)

    # Channels where the officer speaks with the resident, and so must give the privacy notice.
    SPOKEN_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.MAYOR_HOTLINE)

    channel = SelectField(_l("ช่องทางที่รับเรื่อง"), validate_choice=False)
    received_on = ThaiDateField(_l("วันที่รับเรื่อง"), validators=[Optional(), DateBounds()])
    received_time = TimeField(_l("เวลา (ถ้าทราบ)"), validators=[Optional()])
    privacy_acknowledged = BooleanField(_l("เจ้าหน้าที่ได้แจ้งหรืออ่านประกาศความเป็นส่วนตัวให้ผู้ร้องทราบแล้ว"))
    publication_allowed = BooleanField(
        _l("ผู้ร้องยินยอมให้เผยแพร่เรื่องนี้บนหน้าสาธารณะ (ไม่แสดงชื่อและข้อมูลติดต่อ)")
    )

    def validate_privacy_acknowledged(self, field: BooleanField) -> None:
        """A resident on the phone or at the counter hears the notice before giving details."""
        if self.channel.data in self.SPOKEN_CHANNELS and not field.data:
            raise ValidationError(_l("กรุณาแจ้งประกาศความเป็นส่วนตัวให้ผู้ร้องทราบ แล้วทำเครื่องหมายยืนยัน"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = [(c.value, CHANNEL_LABELS[c]) for c in OFFICER_ENTRY_CHANNELS]
        if not self.received_on.data and not self.is_submitted():
            self.received_on.data = today_in_thailand()

    def received_moment(self) -> datetime | None:
        """When the case actually arrived (Thai time), or ``None`` for now."""
        day: date | None = self.received_on.data
        if day is None:
            return None
        if day == today_in_thailand() and self.received_time.data is None:
            return None
        moment = self.received_time.data or time(9, 0)
        return datetime.combine(day, moment, BANGKOK)

    def to_submission(self, staging_token: str) -> CaseSubmission:
        """As the resident's form, with the channel and date the officer gave."""
        submission = super().to_submission(staging_token)
        channel = self.channel.data
        submission.channel = channel if channel in OFFICER_ENTRY_CHANNELS else ""
        submission.received_at = self.received_moment()
        return submission

    def show_errors(self, field_errors: dict[str, object]) -> None:
        """As the resident's form; a wrong received date is shown beside the date field."""
        errors = dict(field_errors)
        if "received_at" in errors:
            self.received_on.errors = [*self.received_on.errors, errors.pop("received_at")]
        super().show_errors(errors)


class ReplyTemplateForm(FlaskForm):
    """An admin's canned reply."""

    title = StringField(_l("ชื่อแม่แบบ"), validators=[InputRequired(), Length(max=200)])
    body = TextAreaField(_l("ข้อความ"), validators=[InputRequired(), Length(max=5000)])
    action = SelectField(_l("ใช้กับการดำเนินการ"), validate_choice=False)
    sort_order = IntegerField(_l("ลำดับ"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("ใช้งาน"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _l("ตอบกลับทั่วไป"))] + [
            (action, ACTION_LABELS[action]) for action in STAFF_ACTIONS
        ]


class CategoryForm(FlaskForm):
    """A category: names, default department and due-date rules in Thai working days."""

    code = StringField(_l("รหัส (ภาษาอังกฤษ)"), validators=[InputRequired(), Length(max=40)])
    name_th = StringField(_l("ชื่อภาษาไทย"), validators=[InputRequired(), Length(max=200)])
    name_en = StringField(_l("ชื่อภาษาอังกฤษ"), validators=[InputRequired(), Length(max=200)])
    department_id = SelectField(_l("หน่วยงานที่รับผิดชอบ"), coerce=db_id, validate_choice=False)
    acknowledge_days = IntegerField(
        _l("ตอบรับภายใน (วันทำการ)"), default=3, validators=[InputRequired(), NumberRange(0, 60)]
    )
    answer_days = IntegerField(
        _l("แจ้งผลภายใน (วันทำการ)"), default=15, validators=[InputRequired(), NumberRange(1, 120)]
    )
    sort_order = IntegerField(_l("ลำดับ"), default=0, validators=[Optional(), NumberRange(0, 999)])
    active = BooleanField(_l("ใช้งาน"), default=True)

    def values(self) -> dict[str, Any]:
        """The fields as the service takes them."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class DepartmentForm(FlaskForm):
    """A department (กอง / สำนัก)."""

    code = StringField(_l("รหัส (ภาษาอังกฤษ)"), validators=[InputRequired(), Length(max=40)])
    name_th = StringField(_l("ชื่อภาษาไทย"), validators=[InputRequired(), Length(max=200)])
    name_en = StringField(_l("ชื่อภาษาอังกฤษ"), validators=[InputRequired(), Length(max=200)])
    active = BooleanField(_l("ใช้งาน"), default=True)

    def values(self) -> dict[str, Any]:
        """The fields as the service takes them."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class PublicationForm(VersionedForm):
    """Publish a case: the public wording; the chosen photos and their boxes come beside it
    (``photo`` checkboxes and a ``boxes-<id>`` field per photo, filled by the drawing script)."""

    title = StringField(_l("หัวข้อที่เผยแพร่"), validators=[Length(max=PUBLIC_TITLE_MAX)])
    description = TextAreaField(
        _l("คำอธิบายที่เผยแพร่"), validators=[Length(max=PUBLIC_DESCRIPTION_MAX)]
    )
    place = StringField(_l("สถานที่ที่เผยแพร่"), validators=[Length(max=PUBLIC_PLACE_MAX)])
    show_position = BooleanField(_l("แสดงหมุดบนแผนที่สาธารณะ"))

    def wording(self, posted: Any) -> PublicWording:
        """What to publish: the fields, and each ticked photo with the boxes drawn on it."""
        photo_ids = {i for i in map(parse_id, posted.getlist("photo")) if i is not None}
        return PublicWording(
            title=self.title.data or "",
            description=self.description.data or "",
            place=self.place.data or "",
            show_position=bool(self.show_position.data),
            photos={pid: parse_boxes(posted.get(f"boxes-{pid}", "")) for pid in photo_ids},
        )
