"""The public list's and map's filters (a GET form: no CSRF token, links can be shared)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.forms import ThaiDateField
from app.input import DateBounds, parse_id, parse_int
from app.statuses import STATUS_LABELS
from cases.publication import PublicFilters


class PublicFilterForm(FlaskForm):
    """Category, status, place words and a received-date range (day first, Buddhist Era)."""

    class Meta:
        csrf = False

    category_id = SelectField(_l("หมวดเรื่อง"), coerce=parse_id, validate_choice=False)
    status = SelectField(_l("สถานะ"), validate_choice=False)
    place = StringField(_l("พื้นที่หรือสถานที่"), validators=[Optional(), Length(max=100)])
    received_from = ThaiDateField(_l("แจ้งตั้งแต่วันที่"), validators=[Optional(), DateBounds()])
    received_to = ThaiDateField(_l("ถึงวันที่"), validators=[Optional(), DateBounds()])
    page = HiddenField()

    def __init__(self, categories: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[Any, Any]] = [("", _l("ทั้งหมด"))]
        self.category_id.choices = everything + list(categories)
        self.status.choices = everything + [(s.value, label) for s, label in STATUS_LABELS.items()]

    def filters(self) -> PublicFilters:
        """The filters typed; a field that is not valid (a date that is no date) is left out."""
        self.validate()
        return PublicFilters(
            category_id=self.category_id.data,
            status=self.status.data or "",
            place=" ".join((self.place.data or "").split()) if not self.place.errors else "",
            received_from=None if self.received_from.errors else self.received_from.data,
            received_to=None if self.received_to.errors else self.received_to.data,
        )

    def page_number(self) -> int:
        """The page asked for (1 when absent or not a number)."""
        return parse_int(self.page.data, 1, 10_000) or 1
