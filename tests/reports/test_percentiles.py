"""Percentiles from a histogram in SQL agree with the textbook linear interpolation."""

from __future__ import annotations

import random
import statistics

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from app.extensions import db
from reports.sql import percentiles


def _values(rows: list[tuple[int, int | None, int | None]]):
    """The rows as a temporary table (gone with the test's transaction)."""
    table = Table(
        "percentile_sample",
        MetaData(),
        Column("grp", Integer),
        Column("x", Integer),
        Column("y", Integer),
        prefixes=["TEMPORARY"],
    )
    table.create(db.session.connection())
    db.session.execute(
        insert(table), [dict(zip(("grp", "x", "y"), row, strict=True)) for row in rows]
    )
    return select(table).subquery("sample_rows")


def _expected(data: list[int], fraction: float) -> float:
    """``percentile_cont``: linear interpolation at rank p * (n - 1)."""
    ordered = sorted(data)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    if lower + 1 >= len(ordered):
        return float(ordered[lower])
    return ordered[lower] + (ordered[lower + 1] - ordered[lower]) * (position - lower)


def test_random_samples_by_group_and_overall_match_the_interpolation(app):
    generator = random.Random(7)
    rows = [
        (generator.choice((1, 2, 3)), generator.randint(0, 40), generator.choice((None, 3, 9, 60)))
        for _ in range(500)
    ]
    found = percentiles(db.session, _values(rows), ("x", "y"), (0.5, 0.9, 0.25), "grp")
    for key in (None, 1, 2, 3):
        for index, name in enumerate(("x", "y")):
            data = [row[1 + index] for row in rows if key in (None, row[0])]
            data = [v for v in data if v is not None]
            expected = [_expected(data, f) for f in (0.5, 0.9, 0.25)]
            assert found[key][name] == pytest.approx(expected)
    # Python's own inclusive quantiles are the same interpolation.
    every_x = [row[1] for row in rows]
    assert found[None]["x"][0] == pytest.approx(statistics.median(every_x))


def test_single_value_repeated_values_and_all_null_columns(app):
    rows = [(1, 5, None), (1, 5, None), (2, 8, None)]
    found = percentiles(db.session, _values(rows), ("x", "y"), (0.5, 0.9), "grp")
    assert found[1]["x"] == [5.0, 5.0]
    assert found[2]["x"] == [8.0, 8.0]
    assert found[None]["x"] == pytest.approx([5.0, 7.4])
    assert "y" not in found[None]  # nothing to rank: the caller shows no figure


def test_without_a_group_only_the_overall_key(app):
    found = percentiles(db.session, _values([(1, 1, 2), (2, 3, 4)]), ("x",), (0.5,))
    assert found == {None: {"x": [2.0]}}
