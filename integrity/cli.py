"""``flask integrity rotate-key`` and ``flask integrity purge``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

integrity_cli = AppGroup("integrity", help="The corruption track: keys and retention.")


@integrity_cli.command("rotate-key")
@click.option("--org", "slug", default=None, help="Give this organization (slug) a new data key.")
def rotate_key(slug: str | None) -> None:
    """Rotate keys. Without --org: re-wrap every body's data key under the first INTEGRITY_KEY.

    Master key: put the new key first in INTEGRITY_KEY (new,old), run this, then remove the old
    key; values still under the master key directly move to their body's key. With --org SLUG:
    one body gets a new data key and only its reports and files are re-encrypted.
    """
    from sqlalchemy import select

    from app.extensions import db
    from app.organizations.models import Organization
    from integrity.upkeep import rotate_keys, rotate_organization_key

    if slug is None:
        result = rotate_keys()
    else:
        organization_id = db.session.scalar(
            select(Organization.id).where(Organization.slug == slug)
        )
        if organization_id is None:
            raise click.ClickException(f"no organization {slug}")
        result = rotate_organization_key(organization_id)
    click.echo(
        f"re-wrapped {result.keys} keys; re-encrypted {result.values} values "
        f"and {result.files} files"
    )


@integrity_cli.command("purge")
def purge() -> None:
    """Purge the content of reports closed longer than INTEGRITY_RETENTION_DAYS. Daily-safe."""
    from app.extensions import db
    from app.organizations.services import each_organization
    from integrity.upkeep import purge_expired

    reports = files = 0
    for _organization in each_organization(db.session):
        result = purge_expired()
        reports, files = reports + result.reports, files + result.files
    click.echo(f"purged {reports} reports and {files} files")
