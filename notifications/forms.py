"""Forms of the notification pages: the admin's outbox and a staff member's own settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional


class RetryForm(FlaskForm):
    """Retry one dead letter, or all of them (buttons only: the form carries the CSRF token)."""


class ContactForm(FlaskForm):
    """How a staff member wants to be told about new cases and the daily digest."""

    by_email = BooleanField(_l("รับทางอีเมล"))
    line_recipient = StringField(
        _l("LINE user ID หรือ group ID"),
        validators=[Optional(), Length(max=64)],
        filters=[lambda value: (value or "").strip()],
    )
