"""PDFs that run something by themselves are refused with the reason; damaged ones never 500."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from app import pdf_check
from tests.cases.test_uploads import latest_case, post_with_files, stored_bytes
from tests.factories import CATALOG, NO_PAGES, PDF_BYTES, THAI_DETAILS, pdf_file

ACTIVE_REASON = "ไฟล์ PDF นี้มีสคริปต์หรือคำสั่งที่ทำงานอัตโนมัติ จึงรับไม่ได้"
DAMAGED_REASON = "ไฟล์เสียหรือเปิดไม่ได้"
JS_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


def _with_catalog(extra: bytes, *more: bytes) -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>"
    return pdf_file(catalog, NO_PAGES, *more)


def _one_page(page_extra: bytes) -> bytes:
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b" >>"
    return pdf_file(CATALOG, pages, page)


def _pdf_with_object_stream(hidden: bytes) -> bytes:
    """The catalog opens with object 3, which sits compressed in object stream 4 (PDF 1.5).

    Nothing of object 3 is visible in the raw bytes: only a parser finds it.
    """
    header = b"3 0 "
    packed = zlib.compress(header + hidden)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, body in (
        (1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>"),
        (2, NO_PAGES),
        (
            4,
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\n"
            b"endstream" % (len(header), len(packed), packed),
        ),
    ):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[5] = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (1, offsets[2], 0), (2, 4, 0)]
    rows += [(1, offsets[4], 0), (1, offsets[5], 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\n"
        b"endstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (len(table), table, offsets[5])
    )
    return bytes(out)


def _writer_pdf(prepare=None, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if prepare:
        prepare(writer)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _embed(writer: PdfWriter) -> None:
    writer.add_attachment("run.exe", b"MZ")


ACTIVE_PDFS = {
    "open action javascript": _with_catalog(b"/OpenAction 3 0 R", JS_ACTION),
    "open action launch": _with_catalog(b"/OpenAction << /S /Launch /F (calc.exe) >>"),
    "document javascript": _with_catalog(b"/Names << /JavaScript 3 0 R >>", b"<< /Names [] >>"),
    "page additional actions": _one_page(b"/AA << /O 4 0 R >>"),
    "embedded file": _writer_pdf(_embed),
    "rich media": _one_page(b"/Annots [<< /Type /Annot /Subtype /RichMedia >>]"),
    "xfa form": _with_catalog(b"/AcroForm << /Fields [] /XFA 3 0 R >>", b"[]"),
    "escaped name": _with_catalog(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"),
    "in a compressed object stream": _pdf_with_object_stream(JS_ACTION),
    "unreferenced object": pdf_file(CATALOG, NO_PAGES, JS_ACTION),
}


@pytest.mark.parametrize("data", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_pdf_with_scripts_or_automatic_actions_is_refused_and_text_kept(client, data):
    response = post_with_files(client, [("letter.pdf", data)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"ไม่รับไฟล์ letter.pdf: {ACTIVE_REASON}" in page
    assert THAI_DETAILS in page


def test_the_parser_alone_finds_a_script_hidden_in_an_object_stream():
    data = _pdf_with_object_stream(JS_ACTION)
    assert not pdf_check.ACTIVE_NAMES.intersection(pdf_check._raw_names(data))
    with pytest.raises(pdf_check.PdfRefused, match="pdf_active"):
        pdf_check.check_pdf(data)


def _set_title(writer: PdfWriter) -> None:
    # Text that merely mentions the names is not an action.
    writer.add_metadata({NameObject("/Title"): TextStringObject("/JavaScript /Launch")})


MENTIONS = b"<< /Title (About /JavaScript \\) and (nested /Launch\\( text\\))) >>"
PLAIN_PDFS = {
    "minimal": PDF_BYTES,
    "blank page": _writer_pdf(),
    "names in an escaped string": _writer_pdf(_set_title),
    "names in a nested string": pdf_file(CATALOG, NO_PAGES, MENTIONS),
    "object stream": _pdf_with_object_stream(NO_PAGES),
}


@pytest.mark.parametrize("data", PLAIN_PDFS.values(), ids=PLAIN_PDFS.keys())
def test_plain_pdf_is_accepted_unchanged(client, app, data):
    response = post_with_files(client, [("scan.pdf", data)])
    assert response.status_code == 302
    (attachment,) = latest_case().attachments
    assert stored_bytes(app, attachment) == data


DAMAGED_PDFS = {
    "no cross-reference": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>",
    "garbage": b"%PDF-1.7\n" + bytes(range(256)) * 8,
    "truncated": _writer_pdf()[:300],
    "root is missing": pdf_file(b"<< /Type /Catalog /Pages 9 0 R >>")[:-40],
    "deeply nested": pdf_file(b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 5000 + b" >>"),
}


@pytest.mark.parametrize("data", DAMAGED_PDFS.values(), ids=DAMAGED_PDFS.keys())
def test_damaged_pdf_is_refused_with_a_message_not_an_error(client, data):
    response = post_with_files(client, [("broken.pdf", data)])
    assert response.status_code == 200
    assert f"ไม่รับไฟล์ broken.pdf: {DAMAGED_REASON}" in response.get_data(as_text=True)


def test_pdf_locked_with_a_password_is_refused(client):
    response = post_with_files(client, [("locked.pdf", _writer_pdf(password="secret"))])
    assert "ไฟล์ PDF นี้ตั้งรหัสผ่านไว้" in response.get_data(as_text=True)


def test_pdf_encrypted_without_a_password_is_checked_and_accepted(client):
    response = post_with_files(client, [("open.pdf", _writer_pdf(password=""))])
    assert response.status_code == 302
