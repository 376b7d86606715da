"""reply_templates.action: the move a template suits; the Thai set every install starts with

Revision ID: 0017_reply_template_moves
Revises: 0016_report_measures
Create Date: 2026-11-29 18:30:00

A template may name the workflow action it suits (accept, start, resolve, reject, forward); the
case page offers it first on that move. Six Thai templates are inserted, each only if no template
of that title exists yet, so an install that already wrote its own keeps them and gains the rest.
The rows are literal copies of what an officer would write (migrations do not import app code);
admins edit or retire them on the templates page. The downgrade drops the column and keeps the
rows: they may be in use by then.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0017_reply_template_moves"
down_revision = "0016_report_measures"
branch_labels = None
depends_on = None

# title, action, body
TEMPLATES = (
    (
        "ตอบรับเรื่อง",
        "accept",
        "องค์กรได้รับเรื่องของท่านแล้ว และได้มอบหมายให้เจ้าหน้าที่ผู้รับผิดชอบตรวจสอบ "
        "จะแจ้งความคืบหน้าให้ทราบทางช่องทางที่ท่านให้ไว้ ขอบคุณที่แจ้งเรื่องครับ/ค่ะ",
    ),
    (
        "อยู่ระหว่างดำเนินการ",
        "start",
        "เจ้าหน้าที่ได้ลงพื้นที่ตรวจสอบและอยู่ระหว่างดำเนินการแก้ไข "
        "คาดว่าจะแล้วเสร็จภายใน ... วันทำการ จะแจ้งผลให้ทราบอีกครั้ง",
    ),
    (
        "ดำเนินการแล้วเสร็จ",
        "resolve",
        "เจ้าหน้าที่ได้ดำเนินการแก้ไขเรื่องที่ท่านแจ้งเรียบร้อยแล้ว หากยังพบปัญหา "
        "ท่านขอเปิดเรื่องอีกครั้งได้จากลิงก์ติดตามเรื่องภายใน 30 วัน และโปรดให้คะแนนความพึงพอใจ",
    ),
    (
        "ไม่รับเรื่อง",
        "reject",
        "ขออภัย เรื่องที่ท่านแจ้งไม่อยู่ในอำนาจหน้าที่ขององค์กร หรือข้อมูลไม่เพียงพอต่อการตรวจสอบ "
        "เนื่องจาก ... หากมีข้อมูลเพิ่มเติม ท่านแจ้งเรื่องใหม่ได้ทุกช่องทาง",
    ),
    (
        "ส่งต่อหน่วยงานอื่น",
        "forward",
        "เรื่องที่ท่านแจ้งอยู่ในความรับผิดชอบของหน่วยงานอื่น องค์กรได้ส่งเรื่องต่อไปยังหน่วยงานดังกล่าวแล้ว "
        "ท่านติดตามเรื่องได้ที่หน่วยงานนั้นโดยตรง",
    ),
    (
        "ตอบข้อสอบถาม",
        "resolve",
        "ขอบคุณที่สอบถาม ขอเรียนชี้แจงดังนี้ ... หากต้องการข้อมูลเพิ่มเติม "
        "ติดต่อองค์กรได้ในวันและเวลาราชการ",
    ),
)

reply_templates = sa.table(
    "reply_templates",
    sa.column("organization_id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("body", sa.Text),
    sa.column("action", sa.String),
    sa.column("sort_order", sa.Integer),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("reply_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action", sa.String(length=20), nullable=True))
    bind = op.get_bind()
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":  # stored naive in UTC, as app.models.UTCDateTime does
        now = now.replace(tzinfo=None)
    organizations = list(bind.scalars(sa.text("SELECT id FROM organizations ORDER BY id")))
    for organization_id in organizations:
        _add_missing_templates(bind, organization_id, now)


def _add_missing_templates(bind: sa.Connection, organization_id: int, now: datetime) -> None:
    """Each body gains the templates whose title it does not have yet."""
    existing = set(
        bind.scalars(
            sa.select(reply_templates.c.title).where(
                reply_templates.c.organization_id == organization_id
            )
        )
    )
    rows = [
        {
            "organization_id": organization_id,
            "title": title,
            "body": body,
            "action": action,
            "sort_order": order,
            "active": True,
            "created_at": now,
        }
        for order, (title, action, body) in enumerate(TEMPLATES)
        if title not in existing
    ]
    if rows:
        bind.execute(reply_templates.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("reply_templates", schema=None) as batch_op:
        batch_op.drop_column("action")
