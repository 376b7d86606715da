"""``app.warm_up``: what gunicorn's master loads once before forking its workers."""

from __future__ import annotations

from sqlalchemy.pool import NullPool

from app import warm_up
from app.extensions import db
from rongrian import create_app
from tests.conftest import make_config


def test_warm_up_serves_the_warm_up_requests_and_leaves_no_connection_open(database_url, tmp_path):
    app = create_app(make_config(database_url, tmp_path))
    assert db.engine is not None
    warm_up(app)
    # Nothing checked out or kept: every forked worker opens its own connections.
    pool = db.engine.pool
    assert isinstance(pool, NullPool) or pool.checkedout() == 0
    assert getattr(pool, "checkedin", lambda: 0)() == 0
    db.engine.dispose()
