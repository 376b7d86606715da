"""Forms of the platform's pages and of taking up an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.auth.forms import SignInForm
from app.organizations.models import OrganizationType

TYPE_LABELS = {
    OrganizationType.SAO: _l("องค์การบริหารส่วนตำบล (อบต.)"),
    OrganizationType.SUBDISTRICT_MUNICIPALITY: _l("เทศบาลตำบล"),
    OrganizationType.TOWN_MUNICIPALITY: _l("เทศบาลเมือง"),
    OrganizationType.CITY_MUNICIPALITY: _l("เทศบาลนคร"),
    OrganizationType.PAO: _l("องค์การบริหารส่วนจังหวัด (อบจ.)"),
    OrganizationType.OTHER: _l("อื่น ๆ"),
}


class PlatformSignInForm(SignInForm):
    """E-mail, password and, for administrators, the authenticator app's code."""

    code = StringField(
        _l("รหัสจากแอปยืนยันตัวตน (ผู้ดูแลแพลตฟอร์ม)"), validators=[Optional(), Length(max=40)]
    )


class OrganizationForm(FlaskForm):
    """A body's names, kind, area, host names and contacts."""

    slug = StringField(_l("ชื่อย่อ (a-z 0-9 -)"), validators=[DataRequired(), Length(max=40)])
    name_th = StringField(_l("ชื่อหน่วยงาน (ไทย)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("ชื่อหน่วยงาน (อังกฤษ)"), validators=[Optional(), Length(max=200)])
    type = SelectField(
        _l("ประเภท"), choices=[SelectChoice(t.value, label) for t, label in TYPE_LABELS.items()]
    )
    province = StringField(_l("รหัสจังหวัด (2 หลัก)"), validators=[Optional(), Length(max=2)])
    district = StringField(_l("รหัสอำเภอ (4 หลัก)"), validators=[Optional(), Length(max=4)])
    subdistricts = StringField(
        _l("รหัสตำบล (6 หลัก คั่นด้วยจุลภาค)"), validators=[Optional(), Length(max=400)]
    )
    hosts = StringField(_l("ชื่อโฮสต์ (คั่นด้วยจุลภาค)"), validators=[Optional(), Length(max=1000)])
    phone = StringField(_l("โทรศัพท์"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("ที่อยู่"), validators=[Optional(), Length(max=500)])


class InvitationForm(FlaskForm):
    """Who is invited to be a body's first admin."""

    email = EmailField(_l("อีเมลของผู้ดูแลระบบคนแรก"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("ชื่อ-สกุล"), validators=[Optional(), Length(max=200)])


class AcceptInvitationForm(FlaskForm):
    """The invited admin's name and chosen password."""

    display_name = StringField(_l("ชื่อ-สกุล"), validators=[Optional(), Length(max=200)])
    password = PasswordField(
        _l("ตั้งรหัสผ่าน (8–64 ตัวอักษร)"), validators=[DataRequired(), Length(max=200)]
    )
    confirm = PasswordField(
        _l("ยืนยันรหัสผ่าน"),
        validators=[DataRequired(), EqualTo("password", message=_l("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))],
    )
