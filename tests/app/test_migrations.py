"""Migrations: one head, and upgrade from an empty database to head and back."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from app import migrate


def test_migrations_form_a_single_line():
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "rebase your migration onto the current head"


def test_upgrade_from_empty_to_head_then_down_to_base_and_up_again(empty_database_url):
    migrate.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    tables = set(inspect(engine).get_table_names())
    assert {"cases", "categories", "departments", "attachments", "notifications"} <= tables
    migrate.downgrade(empty_database_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(empty_database_url)
    assert "cases" in set(inspect(engine).get_table_names())
    engine.dispose()


def test_migrations_build_exactly_the_schema_the_models_declare(empty_database_url):
    """A model change without its migration (or the reverse) shows here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    migrate.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.connect() as conn:
        include = migrate.include_object_on(conn.dialect.name)
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        differences = compare_metadata(context, migrate.target_metadata())
    engine.dispose()
    assert differences == []


def test_autogenerate_leaves_out_what_the_models_declare_for_other_databases_only():
    from sqlalchemy import Column, Index, Integer, MetaData, Table

    table = Table("t", MetaData(), Column("a", Integer))
    everywhere = Index("ix_t_a", table.c.a)
    postgres = Index("ix_t_a_pg", table.c.a).ddl_if(dialect="postgresql")
    several = Index("ix_t_a_some", table.c.a).ddl_if(dialect=("postgresql", "mysql"))
    on_sqlite = migrate.include_object_on("sqlite")
    on_postgres = migrate.include_object_on("postgresql")
    assert on_sqlite(everywhere, "ix_t_a", "index", False, None)
    assert not on_sqlite(postgres, "ix_t_a_pg", "index", False, None)
    assert not on_sqlite(several, "ix_t_a_some", "index", False, None)
    assert on_postgres(postgres, "ix_t_a_pg", "index", False, None)
    assert on_postgres(several, "ix_t_a_some", "index", False, None)
