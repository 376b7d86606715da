"""Public pages (no sign-in): the statistics the ITA asks to disclose, and service standards."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from werkzeug.wrappers import Response

from cases.labels import CHANNEL_LABELS
from cases.models import Channel
from reports.exports import to_csv
from reports.services import (
    MonthlyStatistics,
    general_monthly,
    integrity_monthly,
    integrity_standard,
    public_statistics,
    service_standards,
)
from reports.statistics import ITA_ITEMS
from reports.tables import Table

bp = Blueprint("statistics", __name__)


@bp.get("/statistics")
def statistics() -> str:
    """Cases received, handled and pending by channel and category, per fiscal year."""
    years, tables = public_statistics()
    return render_template("reports/statistics.html", years=years, tables=tables)


def _ita_page(track: str, monthly: MonthlyStatistics, tables: list[Table]) -> str:
    return render_template(
        "reports/ita_statistics.html",
        track=track,
        item=ITA_ITEMS[track],
        monthly=monthly,
        tables=tables,
    )


@bp.get("/statistics/complaints")
def complaint_statistics() -> str:
    """The ITA evidence page of general complaints: this fiscal year by month, then per year."""
    _years, tables = public_statistics()
    return _ita_page("general", general_monthly(), tables[:-1])


@bp.get("/statistics/integrity")
def integrity_statistics() -> str:
    """The ITA evidence page of corruption complaints: counts only, by month and per year."""
    _years, tables = public_statistics()
    return _ita_page("integrity", integrity_monthly(), tables[-1:])


@bp.get("/statistics.csv")
def statistics_csv() -> Response:
    """The same figures as a CSV file."""
    years, tables = public_statistics()
    response = Response(to_csv([], tables), mimetype="text/csv; charset=utf-8")
    name = f"rongrian-statistics-{years[-1]}-{years[0]}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/service-standards")
def standards() -> str:
    """Channels, handling steps and each category's time limits, from the due-date rules."""
    # The corruption track's own page once it is installed, the placeholder until then.
    integrity = "integrity.index" if "integrity.index" in current_app.view_functions else None
    return render_template(
        "reports/service_standards.html",
        categories=service_standards(),
        channels=[str(CHANNEL_LABELS[c]) for c in Channel],
        integrity_url=url_for(integrity or "cases.integrity_placeholder"),
        integrity_standard=integrity_standard(),
    )
