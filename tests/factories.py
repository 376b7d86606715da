"""Builders of test data, with named variants."""

from __future__ import annotations

import io
import itertools
import time
from typing import Any

import pyotp
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_user
from app.extensions import db
from cases.models import Case, CaseKind, Category, Channel
from cases.services import (
    CaseSubmission,
    SubmittedCase,
    new_staging_token,
    stage_attachment,
    submit_case,
)

THAI_SUBJECT = "ถนนหน้าบ้านเป็นหลุมลึก"
THAI_DETAILS = "ถนนหน้าบ้านเลขที่ 12 หมู่ 3 เป็นหลุมลึก รถจักรยานยนต์ล้มบ่อยตอนกลางคืน"
USER_PASSWORD = "correct horse battery staple"
_user_counter = itertools.count(1)


def category_id(code: str = "roads") -> int:
    """The id of a seeded category."""
    return db.session.scalar(select(Category.id).where(Category.code == code))  # type: ignore[return-value]


def png_bytes(size: tuple[int, int] = (8, 8), exif_gps: bool = False) -> bytes:
    """A small real PNG (optionally a JPEG with GPS EXIF, when ``exif_gps``)."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (14.0, 58.0, 30.0), 3: "E", 4: (102.0, 5.0, 10.0)}
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def pdf_file(*objects: bytes) -> bytes:
    """A PDF whose objects 1, 2, ... have the bodies given, with a correct cross-reference table.

    Object 1 is the catalog.
    """
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
NO_PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"
PDF_BYTES = pdf_file(CATALOG, NO_PAGES)


def submission(**overrides: Any) -> CaseSubmission:
    """A valid web complaint; override any field."""
    values: dict[str, Any] = {
        "kind": CaseKind.COMPLAINT,
        "channel": Channel.WEB,
        "category_id": category_id(overrides.pop("category", "roads")),
        "subject": THAI_SUBJECT,
        "details": THAI_DETAILS,
        "contact_phone": "0812345678",
        "privacy_acknowledged": True,
    }
    values.update(overrides)
    return CaseSubmission(**values)


def make_case(
    with_attachment: bool = False, with_pdf: bool = False, **overrides: Any
) -> tuple[Case, SubmittedCase]:
    """Submit a case through the intake service and return it with what the resident got
    (``with_attachment``: a photo; ``with_pdf``: a PDF letter)."""
    if with_attachment or with_pdf:
        token = new_staging_token()
        if with_attachment:
            stage_attachment(token, "photo.png", png_bytes(), keep_metadata=False)
        if with_pdf:
            stage_attachment(token, "letter.pdf", PDF_BYTES, keep_metadata=False)
        overrides["staging_token"] = token
    result = submit_case(submission(**overrides))
    case = db.session.get(Case, result.case_id)
    assert case is not None
    return case, result


def make_user(
    roles: tuple[str, ...] | list[str] = ("officer",),
    departments: tuple[str, ...] | list[str] | None = None,
    email: str | None = None,
    password: str = USER_PASSWORD,
    display_name: str = "เจ้าหน้าที่ทดสอบ",
) -> User:
    """A staff account made through the real service; officers default to department "works"."""
    if departments is None:
        departments = ("works",) if "officer" in roles else ()
    email = email or f"staff{next(_user_counter)}@example.com"
    user = create_user(email, display_name, password, roles, departments)
    if user.needs_two_factor:
        # Admins and integrity officers cannot work without an authenticator app.
        user.totp_secret = pyotp.random_base32(32)
        db.session.commit()
    return user


def totp_code(user: User) -> str:
    """A code the user's authenticator app would show that has not been used yet."""
    totp = pyotp.TOTP(user.totp_secret or "")
    step = max(totp.timecode(time.time()), (user.totp_last_step or 0) + 1)
    return totp.generate_otp(step)


def _csrf(client: FlaskClient, url: str) -> dict[str, str]:
    """The CSRF token of the form at ``url`` when the app checks them (most tests do not)."""
    if not client.application.config.get("WTF_CSRF_ENABLED"):
        return {}
    page = client.get(url).get_data(as_text=True)
    return {"csrf_token": page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]}


def sign_in(client: FlaskClient, user: User, password: str = USER_PASSWORD) -> None:
    """Sign ``client`` in as ``user`` through the sign-in page (and the second factor)."""
    data = {"email": user.email, "password": password, **_csrf(client, "/staff/login")}
    response = client.post("/staff/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.headers["Location"] == "/staff/login/code":
        data = {"code": totp_code(user), **_csrf(client, "/staff/login/code")}
        response = client.post("/staff/login/code", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)


def assert_photo_shown_inline(client: FlaskClient, url: str) -> None:
    """``url`` answers a photo for ``<img>`` (inline), inert (sandbox) and never cached."""
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]
    response.close()
