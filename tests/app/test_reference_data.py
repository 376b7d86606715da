"""Reference data: a migrated database can take cases before anyone runs ``flask seed``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.orm import Session

from app import migrate
from app.extensions import db
from app.models import Department
from cases.models import Category
from cases.seed import CATEGORIES, DEPARTMENTS, seed_reference_data

BEFORE_SEEDING = "0011_case_search_trigrams"


def _counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count(Department.id))) or 0,
        session.scalar(select(func.count(Category.id))) or 0,
    )


def test_a_fresh_migrated_database_has_the_default_categories_and_seeding_adds_nothing(
    tmp_path: Path,
):
    # A new file on SQLite whatever the suite runs on: only the migrations have touched it.
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    with Session(engine) as session:
        assert _counts(session) == (len(DEPARTMENTS), len(CATEGORIES))
        roads = session.scalars(select(Category).where(Category.code == "roads")).one()
        assert (roads.department.code, roads.acknowledge_days, roads.answer_days) == (
            "works",
            3,
            15,
        )
        assert roads.active and roads.name_th == "ถนน สะพาน ทางเท้า"
        seed_reference_data(session)
        seed_reference_data(session)
        assert _counts(session) == (len(DEPARTMENTS), len(CATEGORIES))
    engine.dispose()


def test_the_migration_seeds_empty_reference_tables_on_this_backend(empty_database_url):
    # A new database of the suite's kind, migrated up to just before the seeding, then to head.
    migrate.upgrade(empty_database_url, BEFORE_SEEDING)
    migrate.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with Session(engine) as session:
        assert _counts(session) == (len(DEPARTMENTS), len(CATEGORIES))
        # The migration's literal copy matches cases/seed.py row for row.
        rows = [
            (c.code, c.name_th, c.name_en, c.department.code, c.acknowledge_days, c.answer_days)
            for c in session.scalars(select(Category).order_by(Category.sort_order))
        ]
        assert rows == list(CATEGORIES)
        departments = session.scalars(select(Department).order_by(Department.id))
        assert {(d.code, d.name_th, d.name_en) for d in departments} == set(DEPARTMENTS)
    engine.dispose()


def test_the_migration_leaves_categories_an_admin_already_has_alone(empty_database_url):
    migrate.upgrade(empty_database_url, BEFORE_SEEDING)
    engine = create_engine(empty_database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO departments (code, name_th, name_en, active) "
                "VALUES ('own', 'กองของเรา', 'kept', true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO categories (code, name_th, name_en, department_id, acknowledge_days, "
                "answer_days, sort_order, active) SELECT 'own', 'ของเรา', 'kept', id, 3, 15, 0, "
                "true FROM departments"
            )
        )
    migrate.upgrade(empty_database_url)
    with Session(engine) as session:
        assert set(session.scalars(select(Category.name_en))) == {"kept"}
        assert _counts(session)[1] == 1
    engine.dispose()


@pytest.mark.parametrize("path", ["/complaints/new", "/feedback/new"])
def test_with_no_category_to_choose_residents_get_the_phone_number_not_a_dead_form(
    client, app, path
):
    db.session.execute(update(Category).values(active=False))
    db.session.commit()
    for response in (client.get(path), client.post(path, data={"subject": "ถนนพัง"})):
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "ยังส่งเรื่องทางเว็บไซต์ไม่ได้" in page
        assert f'href="tel:{app.config["ORG_PHONE"]}"' in page
        assert 'class="case-form"' not in page
