"""What every intake form has, on either track: files kept between tries and a honeypot.

Residents' case forms (``cases.forms``) and integrity report forms (``integrity.forms``) both
build on ``IntakeForm``; neither track's rules live here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from app.input import BadInput, date_in_range, format_thai_day, parse_int, parse_thai_day

# What ``secrets.token_urlsafe`` makes; anything else posted back is not a token we issued.
STAGING_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class IntakeForm(FlaskForm):
    """A form whose accepted files wait under a staging token until the whole form is right."""

    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = StringField(_l("เว็บไซต์ (เว้นว่างไว้)"))
    staging_token = HiddenField()

    def keep_staging_token(self, new_token: Callable[[], str]) -> str:
        """The token posted back, or one from ``new_token`` if it is missing or malformed.

        The form carries it to the next try, so files already accepted need not be chosen again.
        """
        token = self.staging_token.data
        if not token or not STAGING_TOKEN_PATTERN.match(token):
            token = new_token()
        self.staging_token.data = token
        return token

    def show_errors(self, field_errors: dict[str, object]) -> None:
        """Put the service's messages beside their fields."""
        for name, message in field_errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, message]


class VersionedForm(FlaskForm):
    """A change to a record carries the version the officer saw (optimistic locking: a change
    from a page that is no longer current is refused, ``app.workflow.change_transaction``)."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        """The version posted with the form (``None`` if absent); a garbled one is refused.

        A garbled version must not mean "no check": the change would then go through unguarded.
        """
        if not self.version.data:
            return None
        version = parse_int(self.version.data, 0)
        if version is None:
            raise BadInput()
        return version


class ThaiDateField(StringField):
    """A date typed and shown day first in the Buddhist Era (``27/11/2569``) in every browser.

    A text box, not ``<input type=date>``: that one shows the phone's or browser's own format
    (mm/dd/yyyy in the Christian Era in an English Chromium), which Thai staff misread. A value
    that is not a date keeps what was typed and gets a message beside the field.
    """

    data: date | None

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": str(_l("วว/ดด/ปปปป")),
            "maxlength": "10",
            **kwargs.pop("render_kw", {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.data is None and self.raw_data:
            return str(self.raw_data[0])  # what was typed, kept when it is not a date
        return format_thai_day(self.data)  # a day read is shown back in the one format

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the typed day; blank is no date, anything unreadable is an error."""
        raw = str(valuelist[0]).strip() if valuelist else ""
        if not raw:
            self.data = None
            return
        day = parse_thai_day(raw)
        if day is None:
            raise ValueError(str(_l("กรุณาระบุวันที่แบบ วัน/เดือน/ปี พ.ศ. เช่น 27/11/2569")))
        if not date_in_range(day):
            raise ValueError(str(_l("กรุณาระบุวันที่ระหว่าง พ.ศ. 2543 ถึง พ.ศ. 2743")))
        self.data = day
