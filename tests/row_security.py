"""Acting as the app's database role in a PostgreSQL test, under row-level security.

Superusers (the suite's ``postgres``) and the tables' owner bypass row-level security, so a test
that proves the wall switches its connection to a plain role (``SET LOCAL ROLE``: that role's
privileges and policies from then on, for this transaction only; the role itself is rolled back
with the test).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, text

from app.extensions import db
from cases.models import Case


def become_app_role(connection: Connection) -> str:
    """Create a role that owns nothing, grant it what the app needs, and act as it."""
    role = f"rongrian_app_{uuid.uuid4().hex[:8]}"
    connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    connection.execute(text(f"SET LOCAL ROLE {role}"))
    return role


def copy_case(case: Case, count: int, subject: str) -> None:
    """``count`` more cases like ``case`` with another subject, inserted in one statement."""
    changed = {"code": "'C' || n", "sequence": f"{case.sequence} + n", "subject": f"'{subject}'"}
    columns = [c.name for c in Case.__table__.columns if c.name != "id"]
    values = [changed.get(name, name) for name in columns]
    db.session.execute(
        text(
            f"INSERT INTO cases ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608
            f" FROM cases, generate_series(1, {count}) AS n WHERE id = {case.id}"
        )
    )
