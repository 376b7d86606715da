"""The public list, case page and map of published cases, and their redacted photos."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from app import uploads
from app.i18n import label
from app.organizations.services import organization_profile
from app.security import allow_map_tiles
from app.statuses import STATUS_LABELS
from app.tracking import normalise_code
from cases.publication import (
    PAGE_SIZE,
    Publication,
    public_replies,
    published_case,
    published_page,
    published_positions,
    visible_photo,
)
from cases.queries import active_categories
from published.forms import PublicFilterForm

bp = Blueprint("published", __name__, url_prefix="/public")
PHOTO_MAX_AGE = 300  # seconds: a hidden case's photos leave shared caches within minutes


def _filter_form() -> PublicFilterForm:
    return PublicFilterForm(active_categories(), formdata=request.args)


def _listing(form: PublicFilterForm) -> dict[str, Any]:
    """One page of the filtered list with its replies and the links to the pages around it."""
    page = form.page_number()
    rows, total = published_page(form.filters(), page)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page" and v}
    last = max(1, -(-total // PAGE_SIZE))
    return {
        "publications": rows,
        "replies": public_replies([p.case_id for p in rows]),
        "total": total,
        "page": page,
        "previous_url": url_for(".index", **args, page=page - 1) if page > 1 else None,
        "next_url": url_for(".index", **args, page=page + 1) if page < last else None,
    }


@bp.get("/cases")
def index() -> str:
    """Published cases of this body, newest first, filtered; works without JavaScript."""
    form = _filter_form()
    return render_template("published/index.html", form=form, **_listing(form))


@bp.get("/cases/<code>")
def case_page(code: str) -> str:
    """One published case: public title, description, place, status, dates, replies, photos."""
    publication = published_case(normalise_code(code))
    if publication is None:
        abort(404)
    return render_template(
        "published/case.html",
        publication=publication,
        case=publication.case,
        replies=public_replies([publication.case_id])[publication.case_id],
    )


def _pin(publication: Publication) -> dict[str, Any]:
    case = publication.case
    return {
        "title": publication.title,
        "status": str(label(STATUS_LABELS, case.status)),
        "group": case.status_group,
        "lat": round(case.latitude or 0.0, 6),
        "lng": round(case.longitude or 0.0, 6),
        "url": url_for(".case_page", code=case.code),
    }


@bp.get("/map")
def map_page() -> str:
    """The same cases on a map (Leaflet, served here), with the list beneath it.

    The tile server is the body's setting (else ``MAP_TILE_URL``); the page's policy allows
    images from that one host. With no tile server the page is the list alone.
    """
    form = _filter_form()
    profile = organization_profile()
    if profile.map_tile_url:
        allow_map_tiles(profile.map_tile_url)
    return render_template(
        "published/map.html",
        form=form,
        pins=[_pin(p) for p in published_positions(form.filters())],
        tile_url=profile.map_tile_url,
        tile_attribution=profile.map_tile_attribution,
        **_listing(form),
    )


def _send_photo(photo_id: int, thumbnail: bool) -> Response:
    photo = visible_photo(photo_id)
    if photo is None:
        abort(404)
    name = photo.thumb_name if thumbnail else photo.stored_name
    path = uploads.file_path(current_app.config["UPLOAD_DIR"], name)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=PHOTO_MAX_AGE)


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int) -> Response:
    """A published case's photo: the redacted copy, never the original."""
    return _send_photo(photo_id, thumbnail=False)


@bp.get("/photos/<int:photo_id>/small")
def thumbnail(photo_id: int) -> Response:
    """The list's small copy of a published photo."""
    return _send_photo(photo_id, thumbnail=True)
