"""Running Alembic migrations from the CLI and the tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import MetaData

from app import PROJECT_ROOT


def target_metadata() -> MetaData:
    """The metadata of every model, for autogenerate (imports each capability's models)."""
    import importlib

    from app.models import Base

    for module in MODEL_MODULES:
        importlib.import_module(module)
    return Base.metadata


def include_object_on(dialect_name: str) -> Callable[..., bool]:
    """Autogenerate's ``include_object`` filter for a database of kind ``dialect_name``.

    It leaves out what the models declare for other databases only (``.ddl_if(dialect=...)``, such
    as PostgreSQL's trigram indexes): the migrations skip those there, so autogenerate must not
    report them missing.
    """

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        # SQLAlchemy keeps what ddl_if() was given here; it has no public accessor.
        only_on = getattr(obj, "_ddl_if", None)
        if only_on is None or only_on.dialect is None:
            return True
        dialects = (only_on.dialect,) if isinstance(only_on.dialect, str) else only_on.dialect
        return dialect_name in dialects

    return include


# Each capability's models module; a new capability adds its own here.
MODEL_MODULES = (
    "cases.models",
    "cases.publication",
    "app.outbox",
    "app.organizations.models",
    "app.auth.models",
    "app.audit",
    "app.platform.models",
    "reports.models",
    "review.models",
    "integrity.models",
    "line_bot.models",
)


def alembic_config(database_url: str) -> AlembicConfig:
    """Alembic settings pointing at ``database_url``."""
    cfg = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at ``database_url`` up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database at ``database_url`` down to ``revision``."""
    command.downgrade(alembic_config(database_url), revision)
