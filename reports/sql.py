"""SQL building blocks that differ between PostgreSQL and SQLite.

Timestamps are stored in UTC; reports count Bangkok days and months. Thailand keeps UTC+7 all
year (no daylight saving), so a fixed seven-hour shift is exact: SQLite's ``'+7 hours'``
modifier, and on PostgreSQL ``timezone('UTC', ts) + interval '7 hours'``, which is cheaper per
row than an ``'Asia/Bangkok'`` zone lookup over a six-month scan (figures: ``bench/README.md``).

Percentiles: SQLite has no ``percentile_cont``; both databases get the same linear
interpolation from a histogram of the values and window functions over it (see
``percentiles``), one SQL statement for every column, fraction and group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    RowMapping,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.database import AnySession

SQLITE_OFFSET = "+7 hours"


class local_date(FunctionElement[Any]):  # noqa: N801 - reads like the SQL function it renders
    """The Bangkok calendar date of a UTC timestamp column."""

    type = Date()
    name = "local_date"
    inherit_cache = True


class local_month(FunctionElement[Any]):  # noqa: N801
    """The Bangkok ``YYYY-MM`` of a UTC timestamp column."""

    type = String()
    name = "local_month"
    inherit_cache = True


def _pg_local(column: str) -> str:
    return f"(timezone('UTC', {column}) + interval '7 hours')"


@compiles(local_date, "postgresql")
def _local_date_pg(element: local_date, compiler: Any, **kw: Any) -> str:
    return f"CAST({_pg_local(compiler.process(element.clauses, **kw))} AS DATE)"


@compiles(local_date, "sqlite")
def _local_date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '{SQLITE_OFFSET}')"


@compiles(local_month, "postgresql")
def _local_month_pg(element: local_month, compiler: Any, **kw: Any) -> str:
    return f"to_char({_pg_local(compiler.process(element.clauses, **kw))}, 'YYYY-MM')"


@compiles(local_month, "sqlite")
def _local_month_sqlite(element: local_month, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)}, '{SQLITE_OFFSET}')"


def dialect_name(session: AnySession) -> str:
    """``postgresql`` or ``sqlite``."""
    return session.get_bind().dialect.name


def tune_for_reports(session: AnySession) -> None:
    """PostgreSQL settings for this transaction's aggregate queries over a six-month scan.

    JIT compilation costs more than it saves on queries of a few hundred thousand rows, and
    a larger ``work_mem`` lets ``GROUPING SETS`` and percentiles hash and sort in memory.

    Cheaper parallel tuples: the planner cannot know that a period's cases fall into a few
    thousand groups, so it never aggregates in the workers and, at the default cost of passing
    rows to the leader, keeps the whole scan in one process. The per-case work (time zones,
    working-day look-ups, flags) is most of a report's time, and runs faster in the workers
    (figures: ``bench/README.md``).
    """
    if dialect_name(session) == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL parallel_tuple_cost = 0.001"))
        session.execute(text("SET LOCAL parallel_setup_cost = 100"))


def grouped(
    session: AnySession,
    rows: Subquery,
    sets: Mapping[str, Sequence[str]],
    measures: Callable[[Subquery], Sequence[ColumnElement[Any]]],
) -> list[RowMapping]:
    """Aggregate ``rows`` by several groupings at once; each result row names its set in ``set``.

    ``sets`` maps a name to the columns of ``rows`` to group by (an empty tuple for the total).
    PostgreSQL does it in one pass with ``GROUPING SETS``; SQLite, which has none, gets the same
    rows from a ``UNION ALL`` of ``GROUP BY`` queries. Columns outside a row's set are NULL.
    """
    columns = sorted({c for cols in sets.values() for c in cols})
    if dialect_name(session) == "postgresql":
        flags = {c: func.grouping(rows.c[c]) for c in columns}
        which = case(
            *[
                (and_(true(), *[(flags[c] == (0 if c in cols else 1)) for c in columns]), name)
                for name, cols in sets.items()
            ],
            else_=literal(""),
        )
        group_sets = [tuple_(*[rows.c[c] for c in cols]) for cols in sets.values()]
        query: Any = select(
            which.label("set"), *[rows.c[c] for c in columns], *measures(rows)
        ).group_by(func.grouping_sets(*group_sets))
    else:
        parts = []
        for name, cols in sets.items():
            selected = [rows.c[c] if c in cols else null().label(c) for c in columns]
            part = select(literal(name).label("set"), *selected, *measures(rows))
            parts.append(part.group_by(*[rows.c[c] for c in cols]) if cols else part)
        query = union_all(*parts)
    return list(session.execute(query).mappings())


Percentiles = dict[Any, dict[str, list[float | None]]]


def percentiles(
    session: AnySession,
    values: Subquery,
    columns: Sequence[str],
    fractions: Sequence[float],
    group: str | None = None,
) -> Percentiles:
    """Continuous percentiles of each of ``values.c[columns]`` (NULLs ignored).

    Returns ``{key: {column: [one value per fraction]}}`` with key None for all rows and, when
    ``group`` names a column, one key per group. Same figures as ``percentile_cont``.

    Why a histogram: working days take a few dozen distinct values, so one ``GROUP BY`` pass
    turns a six-month scan into a few hundred (value, count) rows. The ranks that
    ``percentile_cont`` interpolates between are then found from running counts over those rows
    (window functions), the same SQL on PostgreSQL and SQLite, instead of sorting every case
    once per column, fraction and group.
    """
    key = values.c[group] if group else null()
    histogram = (
        select(key.label("grp"), *[values.c[c] for c in columns], func.count().label("n"))
        .group_by(*([key] if group else []), *[values.c[c] for c in columns])
        .cte("histogram")
    )
    running = _running_counts(histogram, columns, by_group=group is not None)
    ranks = [Fraction(f).limit_denominator(10_000) for f in fractions]
    rank_values = []
    for ratio in ranks:
        # Integer arithmetic: the 0-based rank floor(p * (n - 1)) and the next one.
        lower = literal(ratio.numerator) * (running.c.total - 1) // literal(ratio.denominator)
        rank_values += [
            func.min(running.c.v).filter(running.c.cumulative > lower),
            func.min(running.c.v).filter(running.c.cumulative > lower + 1),
        ]
    query = select(running.c.col, running.c.grp, func.max(running.c.total), *rank_values).group_by(
        running.c.col, running.c.grp
    )
    result: Percentiles = {}
    for column, grp, total, *found in session.execute(query):
        slot = result.setdefault(grp, {}).setdefault(column, [None] * len(fractions))
        for index, ratio in enumerate(ranks):
            slot[index] = _interpolated(ratio, int(total), found[2 * index], found[2 * index + 1])
    return result


def _running_counts(histogram: Any, columns: Sequence[str], by_group: bool) -> Subquery:
    """Per column and group: each distinct value, the count up to it and the group's count."""
    parts = []
    for column in columns:
        value = histogram.c[column]
        groupings: list[list[Any]] = [[], [histogram.c.grp]] if by_group else [[]]
        for grouping in groupings:
            grp = grouping[0] if grouping else null()
            parts.append(
                select(
                    literal(column).label("col"),
                    grp.label("grp"),
                    cast(value, Float).label("v"),
                    cast(func.sum(histogram.c.n), BigInteger).label("n"),
                )
                .where(value.is_not(None))
                .group_by(*grouping, value)
            )
    frequencies = union_all(*parts).subquery("frequencies")
    window = [frequencies.c.col, frequencies.c.grp]
    return select(
        frequencies.c.col,
        frequencies.c.grp,
        frequencies.c.v,
        cast(
            func.sum(frequencies.c.n).over(partition_by=window, order_by=frequencies.c.v),
            BigInteger,
        ).label("cumulative"),
        cast(func.sum(frequencies.c.n).over(partition_by=window), BigInteger).label("total"),
    ).subquery("running")


def _interpolated(
    ratio: Fraction, total: int, at_lower: float | None, at_next: float | None
) -> float | None:
    """``percentile_cont``'s linear interpolation between the values at two adjacent ranks."""
    if at_lower is None:
        return None
    weight = Fraction(ratio.numerator * (total - 1) % ratio.denominator, ratio.denominator)
    if at_next is None or weight == 0:
        return float(at_lower)
    return float(at_lower + (at_next - at_lower) * weight)
