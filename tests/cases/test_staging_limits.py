"""Files kept between tries of a form are limited per client and in total (``app.staging``)."""

from __future__ import annotations

import io

import pytest
from limits.errors import StorageError
from sqlalchemy import func, select

from app import staging
from app.extensions import db
from app.uploads import UploadRefused
from cases.models import Attachment
from cases.services import new_staging_token, stage_attachment
from integrity.evidence import stage_evidence
from tests.complaints.test_web_forms import form_data
from tests.factories import CATALOG, NO_PAGES, THAI_DETAILS, pdf_file, png_bytes

CLIENT_REASON = "แนบไฟล์ค้างไว้โดยยังไม่ได้ส่งเรื่องมากเกินกำหนด"
FULL_REASON = "ขณะนี้ระบบรับไฟล์แนบไม่ได้ชั่วคราว"
RESIDENT, NEIGHBOUR = "203.0.113.7", "198.51.100.20"


def _post(client, files, address=RESIDENT, **overrides):
    data = form_data(**overrides)
    data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    response = client.post(
        "/complaints/new",
        data=data,
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )
    # The test client spools a large body to a temporary file that it never closes.
    response.request.environ["wsgi.input"].close()
    return response


def _sent_back(client, count, address=RESIDENT):
    """A form with a mistake (no subject) and ``count`` photos, under a new staging token."""
    files = [(f"p{i}.png", png_bytes()) for i in range(count)]
    return _post(client, files, address, subject="").get_data(as_text=True)


def _staged() -> int:
    return db.session.scalar(select(func.count(Attachment.id)).where(Attachment.case_id.is_(None)))


def _pdf_of(kilobytes: int) -> bytes:
    """A plain PDF padded with a stream of ``kilobytes`` KB (stored as sent)."""
    padding = b"0" * (kilobytes * 1024)
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(padding), padding)
    return pdf_file(CATALOG, NO_PAGES, stream)


def test_forms_sent_back_stop_staging_files_past_the_client_limit(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=3)
    with app.app_context():
        client = app.test_client()
        assert CLIENT_REASON not in _sent_back(client, 2)
        page = _sent_back(client, 2)
        assert "✓ p0.png" in page
        assert f"ไม่รับไฟล์ p1.png: {CLIENT_REASON}" in page
        assert THAI_DETAILS in page  # what was typed is kept
        assert _staged() == 3


def test_the_client_limit_counts_megabytes_too(app_factory):
    app = app_factory(STAGING_MAX_MB_PER_CLIENT=1)
    with app.app_context():
        files = [("a.pdf", _pdf_of(600)), ("b.pdf", _pdf_of(600))]
        page = _post(app.test_client(), files, subject="").get_data(as_text=True)
        assert "✓ a.pdf" in page and f"ไม่รับไฟล์ b.pdf: {CLIENT_REASON}" in page


def test_files_of_sent_cases_do_not_count_towards_the_client_limit(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=3)
    with app.app_context():
        client = app.test_client()
        _sent_back(client, 2)  # counted: still waiting
        for _ in range(3):
            files = [(f"p{i}.png", png_bytes()) for i in range(1)]
            # The same text each time: the likely-duplicates step was seen already.
            assert _post(client, files, duplicates_shown="1").status_code == 302


def test_a_sent_back_form_sent_later_gives_its_files_back(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=2)
    with app.app_context():
        client = app.test_client()
        page = _sent_back(client, 2)
        token = page.split('name="staging_token" type="hidden" value="')[1].split('"')[0]
        assert _post(client, [], staging_token=token).status_code == 302
        assert CLIENT_REASON not in _sent_back(client, 2)


def test_another_client_is_not_held_by_the_first_ones_limit(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=2)
    with app.app_context():
        client = app.test_client()
        _sent_back(client, 2)
        assert CLIENT_REASON in _sent_back(client, 1)
        assert CLIENT_REASON not in _sent_back(client, 1, address=NEIGHBOUR)


def test_clients_are_counted_by_a_keyed_hash_never_the_address(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=2)
    with app.app_context():
        client = app.test_client()
        _sent_back(client, 2, address="2001:db8:1:2::10")
        # the same /64 network is the same client
        assert CLIENT_REASON in _sent_back(client, 1, address="2001:db8:1:2::99")
        keys = " ".join(app.extensions["staging.storage"].storage)
        assert "2001:db8" not in keys and RESIDENT not in keys
        assert "staging/files/" in keys


def test_staged_bytes_of_all_clients_and_both_tracks_are_capped(app_factory):
    app = app_factory(MAX_UPLOAD_MB=1, STAGING_MAX_TOTAL_MB=1)
    with app.app_context():
        stage_evidence(new_staging_token(), "slip.pdf", _pdf_of(300))
        client = app.test_client()
        assert "✓ a.pdf" in _post(client, [("a.pdf", _pdf_of(300))], subject="").get_data(
            as_text=True
        )
        page = _post(client, [("b.pdf", _pdf_of(500))], NEIGHBOUR, subject="").get_data(
            as_text=True
        )
        assert f"ไม่รับไฟล์ b.pdf: {FULL_REASON}" in page
        assert THAI_DETAILS in page


def test_line_photos_are_held_to_the_total_only(app_factory):
    app = app_factory(MAX_UPLOAD_MB=1, STAGING_MAX_TOTAL_MB=1, STAGING_MAX_FILES_PER_CLIENT=1)
    with app.app_context():
        token = new_staging_token()
        stage_attachment(token, "a.pdf", _pdf_of(400), keep_metadata=False)
        stage_attachment(token, "b.pdf", _pdf_of(400), keep_metadata=False)
        with pytest.raises(UploadRefused) as refused:
            stage_attachment(token, "c.pdf", _pdf_of(400), keep_metadata=False)
        assert refused.value.reason == "staging_full"
        assert staging.staged_bytes_total() < 1024**2


def test_files_are_still_accepted_when_the_counters_are_unreachable(app_factory, monkeypatch):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=1)
    with app.app_context():

        def unreachable(*args, **kwargs):
            raise StorageError(ConnectionError("redis is down"))

        monkeypatch.setattr(app.extensions["staging.storage"], "incr", unreachable)
        page = _sent_back(app.test_client(), 2)
        assert "✓ p1.png" in page and CLIENT_REASON not in page
