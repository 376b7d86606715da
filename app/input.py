"""Input cleaning: what a request may carry before any view, service or query sees it.

One layer for every page, so that bad input gives a clear 400 instead of a database error:

- ``refuse_control_characters`` (a ``before_request`` hook, the first one to run): no control
  character in the path, the query string or a field name, ever; in form values only tab, and
  line breaks in the multi-line (textarea) fields. PostgreSQL cannot store NUL in text at all,
  and nothing a person types in a browser contains the others.
- ``parse_int`` / ``parse_id`` / ``db_id`` and ``parse_date`` / ``DateBounds``: every number and
  date taken from a URL or a form is bounded (ids fit PostgreSQL's ``integer``, dates lie in
  2000-2200 CE), so an overflow can never reach the database or ``datetime``.
- ``parse_thai_day`` / ``format_thai_day``: the one date format of the staff pages, day first in
  the Buddhist Era (``27/11/2569``); ``ascii_digits``: Thai digits typed anywhere read as 0-9.
- ``BoundedIntConverter``: the ``<int:...>`` of every route, bounded the same way (404 beyond).
- ``safe_next``: where to go after sign-in or the language switch, a path on this site or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as NoMatch
from wtforms import Field, Form
from wtforms.validators import ValidationError

# PostgreSQL's ``integer``: every id column and version counter of the schema.
DB_INT_MAX = 2**31 - 1
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2200, 12, 31)
BUDDHIST_ERA_OFFSET = 543
EARLIEST_YEAR_BE = EARLIEST_DATE.year + BUDDHIST_ERA_OFFSET  # 2543
LATEST_YEAR_BE = LATEST_DATE.year + BUDDHIST_ERA_OFFSET  # 2743

# C0 controls and DEL. Where text is typed, tab is whitespace like a space (people paste it);
# line feed and carriage return belong only in a multi-line field.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTEGER = re.compile(r"-?[0-9]{1,20}")
ENCODED_SLASH = re.compile(r"/%(2f|5c)", re.IGNORECASE)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadInput(BadRequest):
    """A request refused for what it carries; ``description`` is the Thai message shown."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(message or _l("คำขอมีอักขระหรือค่าที่ระบบรับไม่ได้"))


# --- numbers and dates ----------------------------------------------------------------------


def parse_int(raw: object, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """``raw`` as an integer within ``low``..``high``, else ``None``.

    Only ASCII digits with an optional minus sign are numbers here (``int`` would also take
    Thai or Arabic-Indic digits, underscores and spaces).
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and INTEGER.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if low <= value <= high else None


def parse_id(raw: object) -> int | None:
    """A database id (1..2^31-1) from ``raw``, else ``None`` (a form's ``coerce``)."""
    return parse_int(raw)


def db_id(raw: object) -> int:
    """A database id from ``raw``; ``ValueError`` otherwise (for ``coerce=`` and ``type=``)."""
    value = parse_id(raw)
    if value is None:
        raise ValueError("not an id")
    return value


def date_in_range(day: date) -> bool:
    """Whether ``day`` lies within the dates this service accepts (2000-2200 CE)."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def parse_date(raw: object) -> date | None:
    """An ISO date (``2026-11-29``) within 2000-2200 CE from ``raw``, else ``None``."""
    if not isinstance(raw, str):
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return day if date_in_range(day) else None


def ascii_digits(text: str) -> str:
    """``text`` with Thai digits (๐-๙) and any other decimal digits written as 0-9.

    Thai keyboards type ๐๘๑... as readily as 081...; every number a person types (a phone, a
    date) passes here before it is checked.
    """
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text)


BE_OFFSET = 543  # Buddhist Era year = Christian Era year + 543
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")


def parse_thai_day(raw: object) -> date | None:
    """A day typed the Thai way, day first in the Buddhist Era (``27/11/2569``), else ``None``.

    Thai digits, ``-`` or ``.`` between the parts and a two-digit year (``27/11/69``, always
    25xx) are accepted; a four-digit year below 2400 is taken as Christian Era, and an ISO date
    (``2026-11-27``, from links made before) is read as one. Any calendar day is returned: the
    caller checks it lies within this service's dates (``date_in_range``).
    """
    if not isinstance(raw, str):
        return None
    text = ascii_digits(raw.strip())
    match = _DAY_FIRST.match(text)
    try:
        if match is None:
            return date.fromisoformat(text)
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2500
        if year > 2400:
            year -= BE_OFFSET
        return date(year, month, day)
    except ValueError:
        return None


def format_thai_day(day: date | None) -> str:
    """``day`` as staff read and type it: day first, Buddhist Era (``27/11/2569``)."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


class DateBounds:
    """WTForms validator: a date field's value within 2000-2200 CE (a message beside it)."""

    def __call__(self, _form: Form, field: Field) -> None:
        if field.data is not None and not date_in_range(field.data):
            raise ValidationError(str(_l("กรุณาระบุวันที่ระหว่าง พ.ศ. 2543 ถึง พ.ศ. 2743")))


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in a route: an id from 0 to 2^31-1; a larger number matches no route."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        """The id, unless it has more digits than any id (Python refuses 4,300 and more)."""
        if len(value) > len(str(DB_INT_MAX)):
            raise NoMatch()
        return int(super().to_python(value))


# --- redirects after sign-in and the language switch ------------------------------------------


def safe_next(value: str | None) -> str | None:
    """``value`` as a path on this site to redirect to, or ``None``.

    Whitespace and control characters are removed first, as browsers ignore them in URLs
    (``/\\t/evil.example/`` is ``//evil.example/`` to them). What is left must start with one
    ``/`` and hold no backslash (browsers read ``/\\`` as ``//``) and no scheme.
    """
    if not value:
        return None
    path = re.sub(r"[\s\x00-\x1f\x7f]", "", value)
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if ENCODED_SLASH.match(path):
        return None  # ``/%2F...`` or ``/%5C...``: ``//`` or ``/\\`` to whatever decodes it once
    return path


# --- control characters ---------------------------------------------------------------------


@cache
def _multiline_field_names() -> frozenset[str]:
    """Names of the textarea fields of every form class the app defines (line breaks allowed).

    Read from the forms themselves, so a new textarea needs no change here. A single-line field
    named like a textarea of another form (``reason``) is treated as multi-line too: lenient, as
    a line break is only refused because no browser puts one there, not because it does harm.
    """
    from flask_wtf import FlaskForm
    from wtforms import TextAreaField

    names = set()
    for form_class in _subclasses(FlaskForm):
        for name in dir(form_class):
            unbound = getattr(form_class, name, None)
            field_class = getattr(unbound, "field_class", None)
            if isinstance(field_class, type) and issubclass(field_class, TextAreaField):
                names.add(name)
    return frozenset(names)


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    sub: type[Any]
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _control_in_form() -> bool:
    if request.mimetype not in FORM_TYPES:
        return False  # JSON (the LINE webhook) is read and checked by its own view
    multiline = _multiline_field_names()
    for name, value in request.form.items(multi=True):
        pattern = CONTROL_IN_TEXT if name in multiline else CONTROL_IN_LINE
        if CONTROL.search(name) or pattern.search(value):
            return True
    return any(
        CONTROL.search(name) or CONTROL.search(file.filename or "")
        for name, file in request.files.items(multi=True)
    )


def has_control_characters() -> bool:
    """Whether the request's path, query string or form carries a control character it may not."""
    if CONTROL.search(request.path):
        return True
    if any(CONTROL.search(k) or CONTROL.search(v) for k, v in request.args.items(multi=True)):
        return True
    return request.method in ("POST", "PUT", "PATCH") and _control_in_form()


def refuse_control_characters() -> None:
    """``before_request``: refuse a request carrying control characters, with a message."""
    if has_control_characters():
        raise BadInput(_l("คำขอมีอักขระควบคุม (เช่น NUL) ที่ระบบรับไม่ได้ กรุณาตรวจสอบลิงก์หรือข้อความที่ส่ง"))


def _bad_input_page(error: BadInput) -> tuple[str, int]:
    title = _l("คำขอไม่ถูกต้อง")
    return render_template(
        "errors/error.html", title=title, message=error.description, status=400
    ), 400


def init_app(app: Flask) -> None:
    """Bound ``<int:...>``, and refuse control characters before any other hook runs.

    Call first in ``create_app``: CSRF, rate-limit, session and audit hooks then never see (or
    try to store) a NUL.
    """
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_control_characters)
    app.register_error_handler(BadInput, _bad_input_page)
