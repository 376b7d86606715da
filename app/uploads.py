"""Checking and storing attachments.

The type is decided from the file's bytes, never from its name: a PNG called ``photo.exe`` is
stored as a PNG, an executable called ``photo.jpg`` is refused. An image claiming more pixels
than ``MAX_IMAGE_PIXELS`` is refused from its header, before any pixel is decoded. Photos are
re-encoded so that metadata such as the GPS position is dropped, unless the resident chose to
share the location, and photos longer than ``MAX_IMAGE_SIDE`` are scaled down on the way in.
PDFs with scripts, automatic actions or embedded files are refused (``app.pdf_check``).
Files are written outside the web root under random names and served only as downloads.
"""

from __future__ import annotations

import hashlib
import io
import math
import secrets
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from flask import Flask
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from app.pdf_check import PdfRefused, check_pdf

# detected MIME type -> extension used for the download name
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class UploadLimits:
    """What every attachment is checked against, from the settings of the same names."""

    max_bytes: int
    max_pixels: int
    max_side: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> UploadLimits:
        """``MAX_UPLOAD_MB``, ``MAX_IMAGE_PIXELS`` and ``MAX_IMAGE_SIDE`` of ``config``."""
        return cls(
            max_bytes=config["MAX_UPLOAD_MB"] * 1024**2,
            max_pixels=config["MAX_IMAGE_PIXELS"],
            max_side=config["MAX_IMAGE_SIDE"],
        )


# Why a file was refused, in words residents and reporters read (``UploadRefused.reason``).
REFUSAL_MESSAGES = {
    "empty": _l("ไฟล์ว่างเปล่า"),
    "too_large": _l("ไฟล์ใหญ่เกินกำหนด"),
    "type": _l("รับเฉพาะรูปภาพ (JPG, PNG, WEBP) และ PDF"),
    "not_photo": _l("รับเฉพาะรูปภาพ (JPG, PNG, WEBP)"),
    "damaged": _l("ไฟล์เสียหรือเปิดไม่ได้"),
    "too_many": _l("แนบได้ไม่เกินจำนวนที่กำหนด"),
    "too_many_pixels": _l("รูปภาพมีจำนวนพิกเซลมากเกินกำหนด กรุณาย่อรูปให้เล็กลงแล้วส่งใหม่"),
    "pdf_active": _l("ไฟล์ PDF นี้มีสคริปต์หรือคำสั่งที่ทำงานอัตโนมัติ จึงรับไม่ได้ กรุณาส่งไฟล์ PDF ธรรมดา"),
    "pdf_locked": _l("ไฟล์ PDF นี้ตั้งรหัสผ่านไว้ จึงตรวจไม่ได้ กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน"),
    "staging_client": _l("แนบไฟล์ค้างไว้โดยยังไม่ได้ส่งเรื่องมากเกินกำหนด กรุณาส่งเรื่องให้เสร็จก่อน หรือลองใหม่พรุ่งนี้"),
    "staging_full": _l("ขณะนี้ระบบรับไฟล์แนบไม่ได้ชั่วคราว กรุณาส่งเรื่องโดยไม่แนบไฟล์ หรือลองใหม่ภายหลัง"),
}


@dataclass(frozen=True)
class RefusedUpload:
    """A file someone tried to attach, and why it was refused (for the form to show)."""

    filename: str
    reason: str


def refusal_message(refusal: UploadRefused) -> object:
    """The reason ``refusal`` gives, in words a resident or reporter reads."""
    return REFUSAL_MESSAGES[refusal.reason]


def init_app(app: Flask) -> None:
    """Make Pillow itself refuse images above ``MAX_IMAGE_PIXELS``, wherever they are opened.

    Pillow warns above the limit and raises above twice the limit; the checks below refuse
    both before any pixel is decoded.
    """
    Image.MAX_IMAGE_PIXELS = app.config["MAX_IMAGE_PIXELS"]


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


@contextmanager
def _refusing_bad_images(filename: str) -> Iterator[None]:
    """Turn Pillow's decompression-bomb warning and error into a refusal of ``filename``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused(filename, "too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(filename, "damaged") from exc


def _checked_size(data: bytes, filename: str, max_pixels: int) -> tuple[int, int]:
    """Width and height from the header; refuse too many pixels, then a broken structure.

    ``Image.open`` reads only the header, so a small file claiming 9000x9000 pixels is refused
    at no cost; ``verify`` then walks the chunks without decoding the pixels.
    """
    with _refusing_bad_images(filename), Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if width * height > max_pixels:
            raise UploadRefused(filename, "too_many_pixels")
        image.verify()
    return width, height


def _reencode(data: bytes, filename: str, content_type: str, max_side: int, keep: bool) -> bytes:
    """The pixels upright, at most ``max_side`` on the longest side, in the same format.

    Without ``keep`` only the pixels are written: EXIF (GPS, camera serial) and other chunks
    are dropped. With ``keep`` the EXIF is carried over, its orientation reset as the pixels
    are already upright.
    """
    fmt = IMAGE_FORMATS[content_type]
    with _refusing_bad_images(filename), Image.open(io.BytesIO(data)) as image:
        # thumbnail keeps the aspect ratio, lets JPEG decode at a reduced scale and does nothing
        # to an image already small enough; the bounding box is square, so rotating after it
        # gives the same size.
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        ImageOps.exif_transpose(image, in_place=True)
        exif = image.getexif().tobytes() if keep else b""
        upright = (
            image.convert("RGB") if fmt == "JPEG" and image.mode not in ("RGB", "L") else image
        )
        out = io.BytesIO()
        upright.save(out, format=fmt, quality=90, exif=exif)
        return out.getvalue()


def _check_image(
    filename: str, data: bytes, content_type: str, limits: UploadLimits, keep_metadata: bool
) -> tuple[bytes, bool]:
    """Refuse an image with too many pixels before decoding it; return (bytes, stripped).

    A photo is re-encoded when its metadata must go or when it is larger than
    ``limits.max_side``; a small photo whose metadata the resident shares is kept as it is.
    """
    width, height = _checked_size(data, filename, limits.max_pixels)
    if keep_metadata and max(width, height) <= limits.max_side:
        return data, False
    return _reencode(
        data, filename, content_type, limits.max_side, keep_metadata
    ), not keep_metadata


def check_file(
    filename: str, data: bytes, limits: UploadLimits, keep_metadata: bool
) -> CheckedFile:
    """Validate one file's size and type; return what to store or raise ``UploadRefused``."""
    if not data:
        raise UploadRefused(filename, "empty")
    if len(data) > limits.max_bytes:
        raise UploadRefused(filename, "too_large")
    kind = filetype.guess(data)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED_TYPES:
        raise UploadRefused(filename, "type")
    stripped = False
    if content_type in IMAGE_FORMATS:
        data, stripped = _check_image(filename, data, content_type, limits, keep_metadata)
    elif content_type == "application/pdf":
        try:
            check_pdf(data)
        except PdfRefused as refusal:
            raise UploadRefused(filename, refusal.reason) from refusal
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


# A blacked-out region of a photo: x, y, width, height as fractions of the upright picture
# (0-1), so boxes drawn over a scaled preview in the browser fit the stored file at any size.
Box = tuple[float, float, float, float]


def redacted_jpeg(data: bytes, boxes: list[Box], max_side: int) -> bytes:
    """A copy of a stored photo for the public: upright, ``boxes`` filled black, at most
    ``max_side`` pixels on its longest side, JPEG without EXIF or any other metadata.

    The boxes are painted on the full-size pixels before scaling, so nothing of a face or a
    number plate survives in the smaller copy.
    """
    with _refusing_bad_images("photo"), Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    width, height = upright.size
    painter = ImageDraw.Draw(upright)
    for x, y, w, h in boxes:
        left, top = int(x * width), int(y * height)
        right, bottom = math.ceil((x + w) * width), math.ceil((y + h) * height)
        painter.rectangle((left, top, right - 1, bottom - 1), fill=(0, 0, 0))
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()
