"""Languages (Thai first, English second) and Thai date formatting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, session
from flask_babel import get_locale
from pythainlp.util import thai_strftime

from app.calendar import BANGKOK
from app.extensions import babel
from app.input import format_thai_day
from app.statuses import STATUS_LABELS

LANGUAGES = ("th", "en")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def translation_directories() -> list[str]:
    """The shared catalogue plus one per capability (``<package>/translations``).

    Each capability keeps its own English catalogue so that parallel work on two packages never
    edits the same file; Flask-Babel merges them.
    """
    found = [PROJECT_ROOT / "translations", *sorted(PROJECT_ROOT.glob("*/translations"))]
    return [str(path) for path in found if path.is_dir() and path.parent.name != ".venv"]


def select_locale() -> str:
    """The language the resident chose with the switch, else Thai."""
    # Thai-first on purpose: many residents' phones are set to English, but the service,
    # its officers and its documents are Thai.
    if not has_request_context():
        return "th"  # CLI, worker and outbox messages are Thai
    chosen = session.get("lang")
    return str(chosen) if chosen in LANGUAGES else "th"


def _as_local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime):
        return value.astimezone(BANGKOK)
    return value


def format_date(value: date | datetime | None, with_time: bool = False) -> str:
    """A date in the current language: Buddhist Era with Thai month names in Thai."""
    if value is None:
        return ""
    local = _as_local(value)
    moment = local if isinstance(local, datetime) else datetime(local.year, local.month, local.day)
    if str(get_locale()) == "th":
        pattern = "%-d %b %Y เวลา %H:%M น." if with_time else "%-d %B %Y"
        return thai_strftime(moment, pattern)
    return moment.strftime("%-d %b %Y %H:%M" if with_time else "%-d %B %Y")


def label(mapping: Mapping[Any, object], value: str | None) -> str:
    """The label of ``value``, or the value itself if it has none."""
    if value is None:
        return ""
    return str(mapping.get(value, value))


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the template helpers."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(translation_directories()))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["thai_date"] = format_date
    app.jinja_env.filters["thai_day"] = format_thai_day  # the staff pages' typed form
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["STATUS_LABELS"] = STATUS_LABELS
