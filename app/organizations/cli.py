"""``flask orgs ...``: create, list and change the organizations an installation serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import AppGroup

from app.extensions import db
from app.organizations.models import Organization, OrganizationType
from app.organizations.services import (
    OrganizationError,
    all_organizations,
    create_organization,
    find_by_slug,
    resolve_area,
    update_organization,
)

orgs_cli = AppGroup("orgs", help="Organizations (local bodies) served by this installation.")

# option name -> Organization attribute, for the settings both commands take
SETTINGS = {
    "name_en": "name_en",
    "phone": "phone",
    "address": "address",
    "office_hours": "office_hours",
    "line_id": "line_basic_id",
    "emblem": "emblem_path",
    "mail_sender_name": "mail_sender_name",
    "retention_days": "retention_days",
    "stats_min_count": "public_stats_min_count",
    "map_tile_url": "map_tile_url",
    "map_tile_attribution": "map_tile_attribution",
}


def _shared_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--type", "type_", type=click.Choice([t.value for t in OrganizationType])),
        click.option("--province", help="Province code (2 digits), e.g. 30."),
        click.option("--district", help="District code (4 digits), e.g. 3001."),
        click.option("--subdistrict", "subdistricts", multiple=True, help="6 digits; repeatable."),
        click.option("--host", "hosts", multiple=True, help="Host name; repeatable."),
        click.option("--name-en"),
        click.option("--phone"),
        click.option("--address"),
        click.option("--office-hours"),
        click.option("--line-id", help="LINE Official Account basic id, e.g. @jorhor."),
        click.option("--emblem", help="Path of the emblem image."),
        click.option("--mail-sender-name"),
        click.option("--retention-days", type=click.IntRange(min=1)),
        click.option("--stats-min-count", type=click.IntRange(min=1)),
        click.option(
            "--map-tile-url", help="The public map's tiles, https://host/{z}/{x}/{y}.png."
        ),
        click.option("--map-tile-attribution", help="The tiles' credit line (HTML)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(values: dict[str, Any]) -> dict[str, Any]:
    return {SETTINGS[k]: v for k, v in values.items() if k in SETTINGS and v is not None}


@orgs_cli.command("create")
@click.argument("slug")
@click.option("--name-th", required=True, help="Thai name, e.g. องค์การบริหารส่วนตำบลจอหอ.")
@_shared_options
def create(
    slug: str,
    name_th: str,
    type_: str | None,
    province: str | None,
    district: str | None,
    subdistricts: tuple[str, ...],
    hosts: tuple[str, ...],
    **values: Any,
) -> None:
    """Add an organization with the default categories, departments and reply templates."""
    try:
        area = resolve_area(province, district, subdistricts)
        organization = create_organization(
            db.session,
            slug,
            name_th=name_th,
            type_=type_ or OrganizationType.SAO,
            area=area,
            hosts=hosts,
            **_settings(values),
        )
    except OrganizationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created {organization.slug} ({organization.name_th})")


@orgs_cli.command("list")
def list_organizations() -> None:
    """One line per organization: slug, state, type, area, hosts and name."""
    for org in all_organizations(db.session):
        state = "active" if org.active else "suspended"
        area = ",".join(org.subdistrict_codes) or org.district_code or org.province_code or "-"
        hosts = ",".join(org.host_names) or "-"
        click.echo(f"{org.slug}\t{state}\t{org.type}\t{area}\t{hosts}\t{org.name_th or '-'}")


@orgs_cli.command("update")
@click.argument("slug")
@click.option("--slug", "new_slug", help="A new slug (changes /o/<slug>/ links).")
@click.option("--name-th")
@click.option("--suspend/--activate", "suspended", default=None)
@_shared_options
def update(
    slug: str,
    new_slug: str | None,
    name_th: str | None,
    suspended: bool | None,
    type_: str | None,
    province: str | None,
    district: str | None,
    subdistricts: tuple[str, ...],
    hosts: tuple[str, ...],
    **values: Any,
) -> None:
    """Change an organization; only the options given change (--host replaces the hosts)."""
    organization = _organization(slug)
    changes = _settings(values)
    for name, value in (("slug", new_slug), ("name_th", name_th), ("type", type_)):
        if value is not None:
            changes[name] = value
    if suspended is not None:
        changes["active"] = not suspended
    try:
        area = (
            resolve_area(province, district, subdistricts)
            if (province or district or subdistricts)
            else None
        )
        update_organization(db.session, organization, area=area, hosts=hosts or None, **changes)
    except OrganizationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"updated {organization.slug}")


def _organization(slug: str) -> Organization:
    organization = find_by_slug(db.session, slug)
    if organization is None:
        raise click.ClickException(f"no organization {slug}")
    return organization


def organization_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--org SLUG``: run the command in that organization (default: the installation's first)."""
    return click.option(
        "--org", "org_slug", default=None, help="Organization slug (default: the first)."
    )(command)


def organization_id_of(slug: str | None) -> int | None:
    """The id of organization ``slug`` for ``--org`` (None when not given); refuses unknown."""
    return _organization(slug).id if slug else None


def required_organization_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--org SLUG``, which an installation of several organizations requires."""
    return click.option(
        "--org",
        "org_slug",
        default=None,
        help="Organization slug (required when the installation serves several).",
    )(command)


def required_organization_id(slug: str | None) -> int:
    """The id of organization ``slug``; without one, the only organization's.

    With several organizations a command that changes one body's accounts must name it: the
    default (the first) could silently act on the wrong body.
    """
    if slug:
        return _organization(slug).id
    organizations = all_organizations(db.session)
    if len(organizations) > 1:
        slugs = ", ".join(o.slug for o in organizations)
        raise click.UsageError(f"several organizations ({slugs}): name one with --org SLUG")
    return organizations[0].id
