"""Forms of the account and audit-log admin pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.models import Role
from app.auth.services import WEB_GRANTABLE_ROLES
from app.forms import ThaiDateField
from app.input import DateBounds

ROLE_LABELS = {
    Role.OFFICER: _l("เจ้าหน้าที่ (เรื่องของหน่วยงานตนเอง)"),
    Role.SUPERVISOR: _l("หัวหน้าส่วน / ปลัด (ทุกเรื่อง มอบหมาย เปิดเรื่องอีกครั้ง)"),
    Role.INTEGRITY: _l("เจ้าหน้าที่รับเรื่องทุจริต"),
    Role.EXECUTIVE: _l("ผู้บริหาร (ดูรายงาน)"),
    Role.ADMIN: _l("ผู้ดูแลระบบ"),
}


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    """A staff account as the admin edits it."""

    email = EmailField(_l("อีเมล"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("ชื่อที่แสดง"), validators=[DataRequired(), Length(max=200)])
    roles = CheckboxesField(_l("บทบาท"), validate_choice=False)
    departments = CheckboxesField(_l("หน่วยงาน"), validate_choice=False)
    active = BooleanField(_l("ใช้งานได้"), default=True)
    password = PasswordField(
        _l("รหัสผ่าน (เว้นว่างหากไม่เปลี่ยน)"), validators=[Optional(), Length(max=200)]
    )

    def __init__(self, *args: Any, offered_roles: Iterable[Role] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = [(r.value, ROLE_LABELS[r]) for r in Role if r in offered_roles]

    def validate_roles(self, field: CheckboxesField) -> None:
        """Only names of roles; whether this admin may grant them is the service's business."""
        if not set(field.data or []) <= {r.value for r in Role}:
            raise ValidationError(_l("ไม่รู้จักบทบาทที่เลือก"))


def offered_roles(held: Iterable[Role]) -> frozenset[Role]:
    """The roles the form shows: those the web may grant, and those the account already holds
    (so an integrity officer keeps the role while other things are edited, or loses it)."""
    return WEB_GRANTABLE_ROLES | frozenset(held)


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (a GET form)."""

    class Meta:
        csrf = False

    action = SelectField(_l("การกระทำ"), validate_choice=False)
    user = StringField(_l("อีเมลผู้ใช้"), validators=[Length(max=254)])
    target_type = StringField(_l("ประเภทเป้าหมาย"), validators=[Length(max=40)])
    target_id = StringField(_l("รหัสเป้าหมาย"), validators=[Length(max=64)])
    ip = StringField(_l("IP"), validators=[Length(max=45)])
    day_from = ThaiDateField(_l("ตั้งแต่วันที่"), validators=[Optional(), DateBounds()])
    day_to = ThaiDateField(_l("ถึงวันที่"), validators=[Optional(), DateBounds()])
