"""Published cases: the resident's choice, the officer's public wording, redacted photo copies

Revision ID: 0024_publication
Revises: 0022_platform_accounts
Create Date: 2026-11-29 21:50:00

``cases.publication_allowed`` records the resident's choice at filing; every existing case gets
False (nobody was asked), so nothing becomes public by the upgrade. ``case_publications`` holds
an officer's approval with the public title, description and place; ``public_photos`` the
redacted copies of chosen photos. ``organizations.map_tile_url`` and ``map_tile_attribution``
let a body use its own tile server (empty: the installation's ``MAP_TILE_URL``). On PostgreSQL
both new tables get the same row-level security as every organization's table (0015).
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from migrations import rls

revision = "0024_publication"
down_revision = "0022_platform_accounts"
branch_labels = None
depends_on = None

TABLES = ("case_publications", "public_photos")


def _organization_column(table: str) -> list[Any]:
    return [
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_organization_id_organizations"),
        ),
    ]


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column(
                "publication_allowed", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(
            sa.Column("map_tile_url", sa.String(300), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("map_tile_attribution", sa.String(300), nullable=False, server_default="")
        )
    op.create_table(
        "case_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("show_position", sa.Boolean(), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_organization_column("case_publications"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_publications_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_case_publications_published_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_publications")),
        sa.UniqueConstraint("case_id", name="uq_case_publications_case"),
    )
    for column in ("visible", "published_at", "organization_id"):
        op.create_index(
            op.f(f"ix_case_publications_{column}"), "case_publications", [column], unique=False
        )
    op.create_table(
        "public_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("thumb_name", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_organization_column("public_photos"),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["case_publications.id"],
            name=op.f("fk_public_photos_publication_id_case_publications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_public_photos_attachment_id_attachments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_photos")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_public_photos_stored_name")),
        sa.UniqueConstraint("thumb_name", name=op.f("uq_public_photos_thumb_name")),
    )
    for column in ("publication_id", "organization_id"):
        op.create_index(op.f(f"ix_public_photos_{column}"), "public_photos", [column])
    for table in TABLES:
        rls.enable(table)  # the second wall, as in 0015


def downgrade() -> None:
    for column in ("publication_id", "organization_id"):
        op.drop_index(op.f(f"ix_public_photos_{column}"), table_name="public_photos")
    op.drop_table("public_photos")
    for column in ("visible", "published_at", "organization_id"):
        op.drop_index(op.f(f"ix_case_publications_{column}"), table_name="case_publications")
    op.drop_table("case_publications")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("map_tile_attribution")
        batch.drop_column("map_tile_url")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("publication_allowed")
