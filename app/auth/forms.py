"""Sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    """E-mail and password; ``next`` is where to go afterwards (a local path only)."""

    email = EmailField(_l("อีเมล"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("รหัสผ่าน"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class CodeForm(FlaskForm):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = StringField(_l("รหัสยืนยัน"), validators=[DataRequired(), Length(max=40)])


class ReplaceTwoFactorForm(FlaskForm):
    """Replacing an authenticator app in use: the password and the old app's code, then the new."""

    password = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[DataRequired(), Length(max=200)])
    current_code = StringField(
        _l("รหัสจากแอปยืนยันตัวตนเดิม หรือรหัสกู้คืน"),
        validators=[DataRequired(), Length(max=40)],
    )
    code = StringField(_l("รหัส 6 หลักจากแอปใหม่"), validators=[DataRequired(), Length(max=40)])


class PasswordForm(FlaskForm):
    """Change one's own password."""

    current = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(_l("รหัสผ่านใหม่ (8–64 ตัวอักษร)"), validators=[DataRequired(), Length(max=200)])
