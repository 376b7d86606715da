"""Forms of the reports pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from reports.services import MAX_NOTE_CHARS


class NoteForm(FlaskForm):
    """The officer's edited narrative and the measures taken, for one period."""

    period = HiddenField()
    narrative = TextAreaField(_l("บทสรุป (แก้ไขได้ก่อนส่งออก)"), [Length(max=MAX_NOTE_CHARS)])
    measures = TextAreaField(_l("มาตรการที่ได้ดำเนินการ"), [Length(max=MAX_NOTE_CHARS)])
