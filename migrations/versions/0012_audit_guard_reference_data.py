"""audit log append-only in PostgreSQL; default departments and categories on an empty install

Revision ID: 0012_audit_guard_reference_data
Revises: 0011_case_search_trigrams
Create Date: 2026-11-29 16:00:00

1. On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on ``audit_entries``, so the log
   stays append-only even for SQL that does not go through the application's mapper. Retention
   is the table owner's job, in one transaction (the README shows it):

       BEGIN;
       ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
       DELETE FROM audit_entries WHERE at < '2021-10-01';
       ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;
       COMMIT;

   ``ALTER TABLE`` needs the owner (or a superuser) and locks the table until COMMIT, so nobody
   else ever sees the trigger disabled. SQLite has no such wall (the mapper's guard only).

2. An installation migrated but never seeded had no categories: residents met a form they
   could not send. If ``categories`` is empty, the default departments (those missing, by code)
   and categories with their due dates in working days are inserted. The rows are a copy of
   ``cases/seed.py`` (migrations do not import app code); ``flask seed`` adds only what is
   missing by code, so running both inserts nothing twice. The downgrade keeps the rows: they
   may be in use by then.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_guard_reference_data"
down_revision = "0011_case_search_trigrams"
branch_labels = None
depends_on = None

DEPARTMENTS = (
    ("office", "สำนักปลัด", "Office of the Permanent Secretary"),
    ("finance", "กองคลัง", "Finance Division"),
    ("works", "กองช่าง", "Public Works Division"),
    ("education", "กองการศึกษา ศาสนาและวัฒนธรรม", "Education, Religion and Culture Division"),
    ("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
)

# code, Thai, English, default department, acknowledge days, answer days
CATEGORIES = (
    ("roads", "ถนน สะพาน ทางเท้า", "Roads and bridges", "works", 3, 15),
    ("water", "น้ำประปา", "Water supply", "works", 3, 15),
    ("lights", "ไฟฟ้าส่องสว่าง ไฟฟ้าสาธารณะ", "Street lights and electricity", "works", 3, 15),
    ("waste", "ขยะมูลฝอย", "Waste collection", "health", 3, 15),
    ("drainage", "ท่อระบายน้ำ น้ำท่วมขัง", "Drainage and flooding", "works", 3, 15),
    ("health", "สาธารณสุข โรคติดต่อ", "Public health", "health", 3, 15),
    ("nuisance", "เสียงดัง กลิ่น เหตุรำคาญ", "Noise and nuisance", "health", 3, 15),
    ("animals", "สัตว์จรจัด สัตว์เลี้ยง", "Animals", "health", 3, 15),
    ("welfare", "สวัสดิการ เบี้ยยังชีพ", "Welfare and allowances", "office", 3, 15),
    ("taxes", "ภาษีและค่าธรรมเนียม", "Taxes and fees", "finance", 3, 15),
    ("staff", "การให้บริการของเจ้าหน้าที่", "Staff service", "office", 3, 15),
    ("other", "เรื่องอื่น ๆ", "Other", "office", 3, 15),
)

departments = sa.table(
    "departments",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name_th", sa.String),
    sa.column("name_en", sa.String),
    sa.column("active", sa.Boolean),
)
categories = sa.table(
    "categories",
    sa.column("code", sa.String),
    sa.column("name_th", sa.String),
    sa.column("name_en", sa.String),
    sa.column("department_id", sa.Integer),
    sa.column("acknowledge_days", sa.Integer),
    sa.column("answer_days", sa.Integer),
    sa.column("sort_order", sa.Integer),
    sa.column("active", sa.Boolean),
)

APPEND_ONLY_FUNCTION = """
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'retention: see the README (the owner disables the trigger in one transaction)';
END
$$
"""


def _insert_reference_data() -> None:
    bind = op.get_bind()
    if bind.execute(sa.select(sa.func.count()).select_from(categories)).scalar():
        return
    existing = set(bind.execute(sa.select(departments.c.code)).scalars())
    missing = [
        {"code": code, "name_th": th, "name_en": en, "active": True}
        for code, th, en in DEPARTMENTS
        if code not in existing
    ]
    if missing:
        op.bulk_insert(departments, missing)
    ids = {code: id_ for code, id_ in bind.execute(sa.select(departments.c.code, departments.c.id))}
    op.bulk_insert(
        categories,
        [
            {
                "code": code,
                "name_th": th,
                "name_en": en,
                "department_id": ids[department],
                "acknowledge_days": acknowledge,
                "answer_days": answer,
                "sort_order": order,
                "active": True,
            }
            for order, (code, th, en, department, acknowledge, answer) in enumerate(CATEGORIES)
        ],
    )


def upgrade() -> None:
    _insert_reference_data()
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER audit_entries_no_truncate ON audit_entries")
    op.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
    op.execute("DROP FUNCTION audit_entries_append_only()")
