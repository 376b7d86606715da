"""A summary as a document: its tables and charts, and its PDF, XLSX and CSV files."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _

from app.organizations.services import organization_profile
from reports.charts import Chart, summary_charts
from reports.exports import sarabun_files, to_csv, to_pdf, to_xlsx
from reports.integrity import integrity_tables
from reports.labels import day_label, period_label
from reports.services import Summary
from reports.tables import Cell, Table, summary_tables

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass
class SummaryDocument:
    """What every output of a summary shows, labelled in the current language."""

    summary: Summary
    title: str
    period_label: str
    tables: list[Table]
    charts: list[Chart]

    @property
    def by_key(self) -> dict[str, Table]:
        """The tables by their key."""
        return {table.key: table for table in self.tables}

    def heading_rows(self) -> list[list[Cell]]:
        """Title, organization, period, dates, narrative and measures, as label/value rows."""
        data = self.summary.data
        return [
            [self.title],
            [_("หน่วยงาน"), organization_profile().name],
            [_("ช่วงเวลา"), self.period_label],
            [_("ข้อมูล ณ วันที่"), day_label(data.as_of)],
            [_("วันที่จัดทำรายงาน"), day_label(data.today)],
            [_("บทสรุป"), self.summary.narrative],
            [_("มาตรการที่ได้ดำเนินการ"), self.summary.measures],
        ]


def summary_document(summary: Summary, with_charts: bool = True) -> SummaryDocument:
    """Tables (and charts, for the page and the PDF) of ``summary``."""
    tables = summary_tables(summary.data)
    if summary.integrity is not None:
        tables.extend(integrity_tables(summary.integrity))
    document = SummaryDocument(
        summary=summary,
        title=_("รายงานสรุปผลการดำเนินการเรื่องร้องเรียน ร้องทุกข์ และข้อเสนอแนะ"),
        period_label=period_label(summary.data.period),
        tables=tables,
        charts=[],
    )
    if with_charts:
        legend = (_("รอบนี้"), _("รอบก่อนหน้า"))
        document.charts = summary_charts(document.by_key, legend)
    return document


def summary_file(summary: Summary, fmt: str, thai_digits: bool = False) -> bytes:
    """The summary as ``pdf``, ``xlsx`` or ``csv`` bytes.

    Thai digits apply to the PDF (a document to read); spreadsheets keep numbers as numbers.
    """
    if fmt == "pdf":
        document = summary_document(summary)
        html = render_template(
            "reports/summary_print.html",
            doc=document,
            thai_digits=thai_digits,
            fonts={name: path.as_uri() for name, path in sarabun_files().items()},
        )
        return to_pdf(html)
    document = summary_document(summary, with_charts=False)
    if fmt == "xlsx":
        return to_xlsx(document.heading_rows(), document.tables)
    return to_csv(document.heading_rows(), document.tables)


def filename(summary: Summary, fmt: str) -> str:
    """``rongrian-summary-2569-1.pdf``."""
    return f"rongrian-summary-{summary.data.period.key}.{fmt}"
