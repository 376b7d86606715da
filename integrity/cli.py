"""``flask integrity rotate-key`` and ``flask integrity purge``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

integrity_cli = AppGroup("integrity", help="The corruption track: keys and retention.")


@integrity_cli.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every report, message and evidence file under the first INTEGRITY_KEY.

    Put the new key first in INTEGRITY_KEY (new,old), run this, then remove the old key.
    """
    from app.organizations.scope import platform_scope
    from integrity.upkeep import rotate_keys

    with platform_scope():  # the platform's key encrypts every organization's reports
        values, files = rotate_keys()
    click.echo(f"re-encrypted {values} values and {files} files with the first key")


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
