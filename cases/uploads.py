"""Checking and storing attachments.

The type is decided from the file's bytes, never from its name: a PNG called ``photo.exe`` is
stored as a PNG, an executable called ``photo.jpg`` is refused. Photos are re-encoded so that
metadata such as the GPS position is dropped, unless the resident chose to share the location.
Files are written outside the web root under random names and served only as downloads.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

# detected MIME type -> extension used for the download name
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to store."""

    data: bytes
    content_type: str
    download_name: str
    metadata_stripped: bool


class UploadRefused(Exception):
    """A file that cannot be accepted; ``reason`` is a key of ``REFUSAL_MESSAGES``."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


def _safe_download_name(original: str, extension: str) -> str:
    stem = Path(original.replace("\\", "/")).name.rsplit(".", 1)[0].strip() or "file"
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_")[:80] or "file"
    return f"{stem}.{extension}"


def _strip_image_metadata(data: bytes, content_type: str) -> bytes:
    """Re-encode the pixels only: EXIF (GPS, camera serial) and other chunks are dropped."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        fmt = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[content_type]
        if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        upright.save(out, format=fmt, quality=90)
        return out.getvalue()


def _verify_image(data: bytes, filename: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UploadRefused(filename, "damaged") from exc


def check_file(filename: str, data: bytes, max_bytes: int, keep_metadata: bool) -> CheckedFile:
    """Validate one file's size and type; return what to store or raise ``UploadRefused``."""
    if not data:
        raise UploadRefused(filename, "empty")
    if len(data) > max_bytes:
        raise UploadRefused(filename, "too_large")
    kind = filetype.guess(data)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED_TYPES:
        raise UploadRefused(filename, "type")
    stripped = False
    if content_type.startswith("image/"):
        _verify_image(data, filename)
        if not keep_metadata:
            data = _strip_image_metadata(data, content_type)
            stripped = True
    return CheckedFile(
        data=data,
        content_type=content_type,
        download_name=_safe_download_name(filename, ALLOWED_TYPES[content_type]),
        metadata_stripped=stripped,
    )


def write_file(upload_dir: str, data: bytes) -> tuple[str, str]:
    """Write ``data`` under a random name; return (stored name, sha256)."""
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(24)
    path = directory / stored_name
    path.write_bytes(data)
    path.chmod(0o600)
    return stored_name, hashlib.sha256(data).hexdigest()


def file_path(upload_dir: str, stored_name: str) -> Path:
    """Where a stored file lives; the name is ours (hex), never a resident's."""
    if not stored_name.isalnum():
        raise ValueError("invalid stored name")
    return Path(upload_dir) / stored_name
