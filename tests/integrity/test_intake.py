"""Intake of integrity reports: the form, anonymity by default, evidence, the receipt page."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import Config, ConfigError
from app.extensions import db
from cases.models import Case
from integrity.counts import counts_by
from integrity.evidence import evidence_bytes
from integrity.models import IntegrityAttachment, IntegrityReport, ReportKind
from tests.factories import PDF_BYTES, png_bytes
from tests.integrity.conftest import ACCUSED, DETAILS, REPORTER, REPORTER_PHONE, make_report


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "misconduct",
        "about": ACCUSED,
        "details": DETAILS,
        "occurred": "ต้นเดือนตุลาคม 2569",
        "location": "ห้องกองคลัง",
        "identity": "anonymous",
    }
    data.update(overrides)
    return data


def test_home_page_links_to_the_separate_integrity_page(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/integrity/"' in home
    assert client.get("/report-misconduct").status_code == 404
    page = client.get("/integrity/").get_data(as_text=True)
    assert "ไม่บันทึกหมายเลข IP" in page
    assert 'href="/integrity/budget"' in page


def test_anonymous_report_shows_a_grouped_receipt_once_and_keeps_no_identity(client):
    response = client.post(
        "/integrity/report",
        data=_form(reporter_name=REPORTER, reporter_contact=REPORTER_PHONE),
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    receipt = re.search(r'id="receipt">([\d ]+)<', page)
    assert receipt is not None
    assert re.fullmatch(r"\d{4}( \d{4}){4}", receipt.group(1))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    report = db.session.scalars(select(IntegrityReport)).one()
    assert report.anonymous is True
    assert report.reporter_name == "" and report.reporter_contact == ""
    assert re.fullmatch(r"I\d{2}-\d{6}", report.code)
    assert report.code in page
    assert report.content_digest in page
    # Stored hashed: the digits after the lookup id are nowhere in the row.
    digits = receipt.group(1).replace(" ", "")
    assert report.receipt_lookup == digits[:6]
    assert digits[6:] not in report.receipt_hash
    assert report.receipt_hash.startswith("$argon2id$")


def test_named_report_keeps_the_identity_for_integrity_officers(client):
    client.post(
        "/integrity/report",
        data=_form(identity="named", reporter_name=REPORTER, reporter_contact=REPORTER_PHONE),
    )
    report = db.session.scalars(select(IntegrityReport)).one()
    assert (report.anonymous, report.reporter_name, report.reporter_contact) == (
        False,
        REPORTER,
        REPORTER_PHONE,
    )


def test_reporter_keeps_typed_text_and_accepted_files_when_a_field_is_wrong(client):
    response = client.post(
        "/integrity/report",
        data=_form(
            details="สั้น",
            news_email="not-an-email",
            attachments=[(io.BytesIO(png_bytes()), "slip.png"), (io.BytesIO(b"MZ..."), "x.exe")],
        ),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ยังส่งไม่ได้" in page
    assert ACCUSED in page
    assert "ไม่รับไฟล์ x.exe" in page
    assert "✓ slip.png" in page
    assert db.session.scalar(select(func.count()).select_from(IntegrityReport)) == 0


def test_evidence_is_stored_encrypted_with_photo_metadata_removed(app, client):
    client.post(
        "/integrity/report",
        data=_form(attachments=[(io.BytesIO(png_bytes(exif_gps=True)), "ใบเสร็จ.jpg")]),
        content_type="multipart/form-data",
    )
    attachment = db.session.scalars(select(IntegrityAttachment)).one()
    assert attachment.report_id is not None
    raw = (Path(app.config["UPLOAD_DIR"]) / "integrity" / attachment.stored_name).read_bytes()
    assert not raw.startswith(b"\xff\xd8")  # not a JPEG on disk: a Fernet token
    plain = evidence_bytes(attachment)
    assert plain.startswith(b"\xff\xd8")
    assert b"GPS" not in plain and b"Exif" not in plain


def test_budget_objections_are_their_own_kinds_and_counted_separately(client):
    page = client.get("/integrity/budget").get_data(as_text=True)
    assert "ทักท้วงการใช้จ่ายงบประมาณ" in page
    client.post(
        "/integrity/budget",
        data=_form(kind="budget_objection", about="โครงการจัดซื้อรถบรรทุกน้ำ"),
    )
    # The misconduct form cannot be used to file a budget kind.
    refused = client.post("/integrity/report", data=_form(kind="budget_question"))
    assert "ยังส่งไม่ได้" in refused.get_data(as_text=True)
    make_report()
    make_report()
    kinds = sorted(db.session.scalars(select(IntegrityReport.kind)))
    assert kinds == ["budget_objection", "misconduct", "misconduct"]
    today = db.session.scalar(select(func.min(IntegrityReport.received_at)))
    from app.calendar import local_date

    counts = counts_by(local_date(today), local_date(today))
    assert (counts["total"], counts["misconduct"], counts["budget"]) == (3, 2, 1)
    assert counts["by_kind"] == {"misconduct": 2, "budget_objection": 1}
    assert counts["by_status"] == {"received": 3}


def test_integrity_reports_never_reach_the_general_track(client):
    report, _ = make_report(with_evidence=True)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert client.get(f"/track/{report.code}/anything").status_code == 404
    response = client.post("/track", data={"code": report.code, "phone": "0812345678"})
    assert "ไม่พบเรื่อง" in response.get_data(as_text=True)


def test_the_kinds_of_the_two_forms_do_not_overlap():
    from integrity.forms import BudgetForm, ReportForm

    assert set(ReportForm.KINDS) == {ReportKind.MISCONDUCT}
    assert set(BudgetForm.KINDS).isdisjoint(ReportForm.KINDS)


class _Sources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "action"} and value:
                self.urls.append(value)


@pytest.mark.parametrize(
    "path", ["/integrity/", "/integrity/report", "/integrity/budget", "/integrity/follow-up"]
)
def test_integrity_pages_load_nothing_from_other_sites(client, path):
    response = client.get(path)
    parser = _Sources()
    parser.feed(response.get_data(as_text=True))
    external = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
    assert parser.urls and not external
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_production_refuses_to_start_without_an_integrity_key(monkeypatch):
    monkeypatch.setenv("RONGRIAN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("INTEGRITY_KEY", raising=False)
    with pytest.raises(ConfigError, match="INTEGRITY_KEY"):
        Config.from_env()
    monkeypatch.setenv("INTEGRITY_KEY", "not-a-key")
    with pytest.raises(ConfigError, match="Fernet"):
        Config.from_env()


def test_development_generates_an_integrity_key_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setattr("app.config.INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("INTEGRITY_KEY", raising=False)
    monkeypatch.delenv("RONGRIAN_ENV", raising=False)
    first = Config.from_env().INTEGRITY_KEY
    assert (tmp_path / "integrity_key").read_text() == first
    assert first == Config.from_env().INTEGRITY_KEY


def test_pdf_evidence_is_accepted(client):
    client.post(
        "/integrity/report",
        data=_form(attachments=[(io.BytesIO(PDF_BYTES), "สัญญา.pdf")]),
        content_type="multipart/form-data",
    )
    attachment = db.session.scalars(select(IntegrityAttachment)).one()
    assert attachment.content_type == "application/pdf"


def test_a_refused_form_on_the_integrity_pages_leaves_no_address_in_the_audit_log(app_factory):
    from app.audit import AuditEntry

    strict = app_factory(WTF_CSRF_ENABLED=True)
    with strict.app_context():
        client = strict.test_client()
        form_page = client.get("/integrity/report").get_data(as_text=True)
        response = client.post("/integrity/report", data=_form())
        assert response.status_code == 400
        entry = db.session.scalars(select(AuditEntry)).one()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page)
        assert token is not None
        sent = client.post("/integrity/report", data=_form(csrf_token=token.group(1)))
        assert 'id="receipt"' in sent.get_data(as_text=True)
    assert (entry.action, entry.ip) == ("csrf_failed", "")


def test_integrity_officers_are_told_a_report_arrived_without_any_content(app):
    from app.outbox import Notification
    from tests.factories import make_user

    officer = make_user(roles=("integrity",), email="integrity@example.com")
    make_user(roles=("officer", "supervisor"), email="general@example.com")
    make_report()
    rows = db.session.scalars(
        select(Notification).where(Notification.template == "integrity_report_received")
    ).all()
    assert [row.recipient for row in rows] == [officer.email]
    assert DETAILS not in str(rows[0].context) and ACCUSED not in str(rows[0].context)
