"""SQL building blocks that differ between PostgreSQL and SQLite.

Timestamps are stored in UTC; reports count Bangkok days and months. Thailand keeps UTC+7 all
year (no daylight saving), so a fixed seven-hour shift is exact: SQLite's ``'+7 hours'``
modifier, and on PostgreSQL ``timezone('UTC', ts) + interval '7 hours'``, which is several
times cheaper per row than a ``'Asia/Bangkok'`` zone lookup over a six-month scan.

Percentiles: PostgreSQL has ``percentile_cont``; SQLite has no ordered-set aggregates, so the
fallback computes the same linear interpolation with window functions (``ROW_NUMBER`` and
``COUNT`` over the ordered values), still in one SQL statement per figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from sqlalchemy import (
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
    """
    if dialect_name(session) == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """``SUM(CASE WHEN condition THEN 1 ELSE 0 END)``: a count of rows meeting ``condition``."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


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
    native: bool | None = None,
) -> Percentiles:
    """Continuous percentiles of each of ``values.c[columns]`` (NULLs ignored).

    Returns ``{key: {column: [one value per fraction]}}`` with key None for all rows and, when
    ``group`` names a column, one key per group. ``native`` picks ``percentile_cont`` in one
    ``GROUPING SETS`` pass (default on PostgreSQL) or the window-function fallback (SQLite;
    selectable on PostgreSQL so tests can compare the two).
    """
    if native is None:
        native = dialect_name(session) == "postgresql"
    if native:
        return _percentiles_native(session, values, columns, fractions, group)
    result: Percentiles = {}
    for column in columns:
        for index, fraction in enumerate(fractions):
            for grouping in (None, group) if group else (None,):
                found = _percentile_windowed(session, values, column, fraction, grouping)
                for key, value in found.items():
                    slot = result.setdefault(key, {}).setdefault(column, [None] * len(fractions))
                    slot[index] = value
    return result


def _percentiles_native(
    session: AnySession,
    values: Subquery,
    columns: Sequence[str],
    fractions: Sequence[float],
    group: str | None,
) -> Percentiles:
    aggregates = [
        func.percentile_cont(f).within_group(values.c[column])
        for column in columns
        for f in fractions
    ]
    if group:
        key = values.c[group]
        query = select(key, *aggregates).group_by(func.grouping_sets(tuple_(), tuple_(key)))
    else:
        query = select(literal(None), *aggregates)
    result: Percentiles = {}
    width = len(fractions)
    for row in session.execute(query):
        figures = [None if v is None else float(v) for v in row[1:]]
        result[row[0]] = {
            column: figures[i * width : (i + 1) * width] for i, column in enumerate(columns)
        }
    return result


def _percentile_windowed(
    session: AnySession, values: Subquery, column: str, fraction: float, group: str | None
) -> dict[Any, float]:
    """``percentile_cont`` by hand: interpolate between the values at ranks floor/ceil(p(n-1))."""
    value = values.c[column]
    partition = [values.c[group]] if group else []
    key = values.c[group] if group else literal(None)
    ranked = (
        select(
            key.label("grp"),
            cast(value, Float).label("v"),
            (func.row_number().over(partition_by=partition, order_by=value) - 1).label("rn"),
            func.count().over(partition_by=partition).label("n"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    # Integer arithmetic on the fraction's numerator and denominator: CAST of a float floors on
    # SQLite but rounds on PostgreSQL, while integer division truncates on both.
    ratio = Fraction(fraction).limit_denominator(10_000)
    scaled = literal(ratio.numerator) * (ranked.c.n - 1)
    lower = scaled // literal(ratio.denominator)
    weight = cast(scaled % literal(ratio.denominator), Float) / literal(ratio.denominator, Float)
    interpolated = func.sum(
        case(
            (ranked.c.rn == lower, ranked.c.v * (1 - weight)),
            (ranked.c.rn == lower + 1, ranked.c.v * weight),
            else_=0.0,
        )
    )
    query = select(ranked.c.grp, interpolated).group_by(ranked.c.grp)
    return {row[0]: float(row[1]) for row in session.execute(query)}
