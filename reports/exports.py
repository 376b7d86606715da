"""CSV, XLSX and PDF files of a summary or of the public statistics.

Safe to open in Excel: CSV follows RFC 4180 (CRLF line ends, quotes doubled, fields with
commas, quotes or line breaks quoted) with a UTF-8 byte-order mark so Excel reads Thai; any text
cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading apostrophe so it is never
run as a formula. XLSX cells are typed values: text is stored as text even when it looks like
a formula, numbers as numbers; the workbook holds no formula at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import fontpkg_sarabun
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.tables import Cell, Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def neutralise(value: Cell) -> Cell:
    """``value``, with text that a spreadsheet would read as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_rows(heading: Sequence[Sequence[Cell]], tables: Iterable[Table]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [list(row) for row in heading]
    for table in tables:
        rows.extend([[], [table.title], list(table.columns), *table.rows])
    return rows


def to_csv(heading: Sequence[Sequence[Cell]], tables: Iterable[Table]) -> bytes:
    """One CSV of ``heading`` rows then every table (title, column names, rows)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in _csv_rows(heading, tables):
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _put(sheet: Any, row: int, column: int, value: Cell, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    if bold:
        cell.font = Font(bold=True)


def _sheet_title(table: Table, used: set[str]) -> str:
    base = table.title.translate(SHEET_NAME_FORBIDDEN).strip()[:28] or table.key
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]} {n}", n + 1
    used.add(title)
    return title


def to_xlsx(heading: Sequence[Sequence[Cell]], tables: Iterable[Table]) -> bytes:
    """A workbook: the heading rows on the first sheet, then one sheet per table."""
    workbook = Workbook()
    first = workbook.active
    first.title = "สรุป"
    for r, row in enumerate(heading, start=1):
        for c, value in enumerate(row, start=1):
            _put(first, r, c, value, bold=(c == 1))
    first.column_dimensions["A"].width = 28
    first.column_dimensions["B"].width = 100
    used = {first.title}
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table, used))
        _put(sheet, 1, 1, table.title, bold=True)
        for c, name in enumerate(table.columns, start=1):
            _put(sheet, 2, c, name, bold=True)
            sheet.column_dimensions[get_column_letter(c)].width = 36 if c == 1 else 16
        for r, row in enumerate(table.rows, start=3):
            for c, value in enumerate(row, start=1):
                _put(sheet, r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sarabun_files() -> dict[str, Path]:
    """The regular and bold Sarabun files shipped by ``fontpkg-sarabun``."""
    files = fontpkg_sarabun.ROOT / "files"
    return {"regular": files / "Sarabun-Regular.ttf", "bold": files / "Sarabun-Bold.ttf"}


def to_pdf(html: str) -> bytes:
    """Print ``html`` (which embeds its images as data URIs) to PDF with Sarabun embedded.

    The fetcher reads only ``data:`` URIs and the bundled font files: printing never reaches
    the network or any other file, whatever the page contains.
    """
    from weasyprint import HTML, URLFetcher  # heavy import, only where a PDF is made

    allowed = {path.as_uri() for path in sarabun_files().values()}

    class BundledOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not (url.startswith("data:") or url in allowed):
                raise ValueError(f"not fetched while printing: {url[:60]}")
            return super().fetch(url, headers)

    pdf = HTML(string=html, url_fetcher=BundledOnly(fail_on_errors=True)).write_pdf()
    return bytes(pdf)
