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
from reports.measures import INDICATORS, MeasureRow, grouped_rows
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

    @property
    def subject(self) -> str:
        """The memo's เรื่อง line."""
        return _(
            "รายงานผลการดำเนินการเรื่องร้องเรียน ร้องทุกข์ และข้อเสนอแนะ %(period)s",
            period=self.short_period,
        )

    @property
    def short_period(self) -> str:
        """``รอบ ๖ เดือน รอบที่ 1 ปีงบประมาณ พ.ศ. 2569`` (or the dates of a free range)."""
        period = self.summary.data.period
        if period.fiscal_year is None or period.round is None:
            return self.period_label
        return _(
            "รอบ ๖ เดือน รอบที่ %(round)s ปีงบประมาณ พ.ศ. %(year)s",
            round=period.round,
            year=period.fiscal_year,
        )

    @property
    def origin(self) -> str:
        """The memo's ต้นเรื่อง: why the report is made."""
        return _(
            "ตามที่%(org)s ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสตามการประเมินคุณธรรมและ"
            "ความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) โดยให้รายงานผลการจัดการเรื่องร้องเรียน "
            "ร้องทุกข์ และข้อเสนอแนะต่อผู้บริหารทุก ๖ เดือน นั้น บัดนี้ครบกำหนด%(period)s "
            "จึงขอรายงานผลการดำเนินการ ดังนี้",
            org=organization_profile().name,
            period=self.short_period,
        )

    @property
    def attachments(self) -> str:
        """What the memo carries behind it."""
        return _(
            "รายละเอียดผลการดำเนินการตามมาตรการแยกตามตัวชี้วัดปรากฏตามตารางที่แนบ และข้อมูลสถิติปรากฏตามภาคผนวก"
        )

    @property
    def measure_groups(self) -> list[tuple[str, str, list[MeasureRow]]]:
        """The measures table by ITA indicator, in the report's order."""
        return grouped_rows(self.summary.measures)

    def heading_rows(self) -> list[list[Cell]]:
        """Title, organization, period, dates and findings, as label/value rows."""
        data = self.summary.data
        return [
            [self.title],
            [_("หน่วยงาน"), organization_profile().name],
            [_("ช่วงเวลา"), self.period_label],
            [_("ข้อมูล ณ วันที่"), day_label(data.as_of)],
            [_("วันที่จัดทำรายงาน"), day_label(data.today)],
            [_("ผลการดำเนินงานโดยสรุป"), self.summary.narrative],
        ]

    def file_tables(self) -> list[Table]:
        """The tables of the spreadsheet files: the measures first, then the statistics."""
        return [measures_table(self.summary.measures), *self.tables]


def measures_table(rows: list[MeasureRow]) -> Table:
    """The measures table as one flat table (for XLSX and CSV): indicator, four columns,
    and the system's figures."""
    titles = {key: str(title) for key, (_tool, title) in INDICATORS.items()}
    table = Table(
        "measures",
        _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
        [
            _("ตัวชี้วัด"),
            _("มาตรการ/แนวทาง"),
            _("วิธีการดำเนินการ"),
            _("ผลการดำเนินการ"),
            _("ความสำเร็จของการดำเนินการ"),
            _("ข้อมูลจากระบบ"),
        ],
    )
    for row in rows:
        text = row.text
        table.rows.append(
            [
                titles[row.indicator],
                text.measure,
                text.method,
                text.result,
                text.success,
                row.figures,
            ]
        )
    return table


def summary_document(
    summary: Summary, with_charts: bool = True, thai_digits: bool = False
) -> SummaryDocument:
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
        document.charts = summary_charts(document.by_key, legend, thai_digits)
    return document


def summary_file(summary: Summary, fmt: str) -> bytes:
    """The summary as ``pdf``, ``xlsx`` or ``csv`` bytes.

    The PDF is an official document: Thai digits throughout, as the correspondence rules
    customarily have them. Spreadsheets keep numbers as numbers.
    """
    if fmt == "pdf":
        document = summary_document(summary, thai_digits=True)
        html = render_template(
            "reports/summary_print.html",
            doc=document,
            thai_digits=True,
            fonts={name: path.as_uri() for name, path in sarabun_files().items()},
        )
        return to_pdf(html)
    document = summary_document(summary, with_charts=False)
    if fmt == "xlsx":
        return to_xlsx(document.heading_rows(), document.file_tables())
    return to_csv(document.heading_rows(), document.file_tables())


def filename(summary: Summary, fmt: str) -> str:
    """``rongrian-summary-2569-1.pdf``."""
    return f"rongrian-summary-{summary.data.period.key}.{fmt}"
