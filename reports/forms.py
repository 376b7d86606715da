"""Forms of the reports pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from reports.measures import MAX_MEASURE_CHARS
from reports.services import MAX_NOTE_CHARS


class NoteForm(FlaskForm):
    """The officer's findings paragraph (the memo's plain-words summary) for one period."""

    period = HiddenField()
    narrative = TextAreaField(
        _l("ผลการดำเนินงานโดยสรุป (แก้ไขได้ก่อนส่งออก)"), [Length(max=MAX_NOTE_CHARS)]
    )


class MeasureForm(FlaskForm):
    """One row of the measures table of a round, in the report's four columns."""

    period = HiddenField()
    position = HiddenField()
    measure = TextAreaField(_l("มาตรการ/แนวทาง"), [Length(max=MAX_MEASURE_CHARS)])
    method = TextAreaField(_l("วิธีการดำเนินการ"), [Length(max=MAX_MEASURE_CHARS)])
    result = TextAreaField(_l("ผลการดำเนินการ"), [Length(max=MAX_MEASURE_CHARS)])
    success = TextAreaField(_l("ความสำเร็จของการดำเนินการ"), [Length(max=MAX_MEASURE_CHARS)])
