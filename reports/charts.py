"""Charts drawn on the server with matplotlib, as self-contained SVG (no JavaScript, no CDN).

Text is turned into paths (matplotlib's default ``svg.fonttype``), so the Thai labels look the
same in any browser and in the PDF without the reader having the Sarabun font.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import fontpkg_sarabun
from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

from reports.labels import digits
from reports.tables import Cell, Table

BAR_COLOUR = "#1f5f8b"
COMPARE_COLOUR = "#b9cfe0"


@lru_cache(maxsize=1)
def thai_font_family() -> str:
    """Register the Sarabun files shipped by ``fontpkg-sarabun`` and return the family name."""
    for path in sorted((fontpkg_sarabun.ROOT / "files").glob("Sarabun-*.ttf")):
        font_manager.fontManager.addfont(str(path))
    return str(fontpkg_sarabun.FAMILY)


def _svg(figure: plt.Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return out.getvalue()


def _figure_text(value: float, thai_digits: bool) -> str:
    return digits(f"{value:g}", thai_digits)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    horizontal: bool = False,
    compare: Sequence[float] | None = None,
    legend: tuple[str, str] | None = None,
    thai_digits: bool = False,
) -> str:
    """An SVG bar chart of ``values`` (optionally beside a comparison series).

    With ``thai_digits`` every figure on it (bar values, axis ticks, labels) is in Thai digits.
    """
    labels = [digits(label, thai_digits) for label in labels]
    with plt.rc_context({"font.family": thai_font_family(), "font.size": 10, "svg.hashsalt": "r"}):
        height = max(2.6, 0.35 * len(labels) + 1.2) if horizontal else 3.2
        figure, axes = plt.subplots(figsize=(7.0, height))
        positions = list(range(len(labels)))
        width = 0.4 if compare is not None else 0.7
        shift = width / 2 if compare is not None else 0.0
        draw = axes.barh if horizontal else axes.bar
        if compare is not None:
            draw([p - shift for p in positions], compare, width, color=COMPARE_COLOUR)
        bars = draw([p + shift for p in positions], values, width, color=BAR_COLOUR)
        axes.bar_label(
            bars, labels=[_figure_text(v, thai_digits) for v in values], padding=2, fontsize=8
        )
        value_axis = axes.xaxis if horizontal else axes.yaxis
        value_axis.set_major_locator(MaxNLocator(integer=True))
        value_axis.set_major_formatter(FuncFormatter(lambda v, _p: _figure_text(v, thai_digits)))
        if horizontal:
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
        else:
            axes.set_xticks(positions, labels)
        if legend and compare is not None:
            axes.legend([legend[1], legend[0]], frameon=False, fontsize=8)
        axes.set_title(title, loc="left", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>`` (allowed by the CSP; no inline styles)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass
class Chart:
    """A titled chart, ready for an ``<img src>``."""

    title: str
    uri: str | None  # None: the figure has no data, and the reader is told so instead

    @property
    def has_data(self) -> bool:
        """Whether there is a chart to show (not only zeros)."""
        return self.uri is not None


def summary_charts(
    tables: dict[str, Table], compare_legend: tuple[str, str], thai_digits: bool = False
) -> list[Chart]:
    """The summary's charts: by month, by category (with the previous period), by channel,
    and the ratings, drawn from the same tables the report prints.

    A chart whose values are all zero is not drawn (an empty axis from -0.045 to 0.045 says
    nothing); its ``uri`` is None and the page says "no data" instead.
    """
    month, category = tables["month"], tables["category"]
    charts = [
        _chart(month.title, month.rows, False, thai_digits, labels=month.chart_labels),
    ]
    values = [_number(r[1]) for r in category.rows]
    compare = [_number(r[2]) for r in category.rows]
    charts.append(
        Chart(
            category.title,
            data_uri(
                bar_chart(
                    [str(r[0]) for r in category.rows],
                    values,
                    category.title,
                    horizontal=True,
                    compare=compare,
                    legend=compare_legend,
                    thai_digits=thai_digits,
                )
            )
            if any(values) or any(compare)
            else None,
        )
    )
    for key in ("channel", "ratings"):
        table = tables[key]
        charts.append(_chart(table.title, table.rows, key == "channel", thai_digits))
    return charts


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _chart(
    title: str,
    rows: list[list[Cell]],
    horizontal: bool,
    thai_digits: bool,
    labels: list[str] | None = None,
) -> Chart:
    values = [_number(r[1]) for r in rows]
    if not any(values):
        return Chart(title, None)
    names = labels or [str(r[0]) for r in rows]
    svg = bar_chart(names, values, title, horizontal=horizontal, thai_digits=thai_digits)
    return Chart(title, data_uri(svg))
