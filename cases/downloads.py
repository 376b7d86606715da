"""Case files served to a browser as downloads it never renders or runs (public and staff pages)."""

from __future__ import annotations

from flask import Response, abort, current_app, send_file

from app import uploads
from app.security import SANDBOX_POLICY
from cases.models import Attachment


def send_attachment(attachment: Attachment, inline: bool = False) -> Response:
    """Serve a stored file as a download that a browser never renders or runs.

    ``inline`` shows a photo in the page (a thumbnail, or large on its own): photos were decoded
    and re-encoded on intake, and the sandbox policy keeps even an image document inert. PDFs are
    always downloads.
    """
    path = uploads.file_path(current_app.config["UPLOAD_DIR"], attachment.stored_name)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=not (inline and attachment.is_image),
        download_name=attachment.original_name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = SANDBOX_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response
