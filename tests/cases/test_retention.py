"""Personal data of closed cases is removed after the retention period (PDPA); figures remain."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import uploads
from app.extensions import db
from app.models import utcnow
from cases.models import Attachment
from cases.publication import Publication, PublicPhoto
from cases.services import anonymise_expired_cases
from review.publication import PublicWording, publish
from tests.factories import make_case, make_user


def close_case(case, days_ago: int) -> None:
    case.status = "closed"
    case.closed_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()


def test_expired_closed_case_loses_its_personal_data_but_keeps_its_figures(app):
    case, _ = make_case(
        with_attachment=True,
        contact_name="สมชาย",
        contact_email="s@example.com",
        line_user_id="U" + "1" * 32,
        latitude=14.9,
        longitude=102.1,
    )
    path = uploads.file_path(app.config["UPLOAD_DIR"], case.attachments[0].stored_name)
    close_case(case, days_ago=app.config["RETENTION_DAYS"] + 1)

    assert anonymise_expired_cases() == 1
    db.session.refresh(case)
    assert (case.contact_name, case.contact_phone, case.contact_email) == ("", "", "")
    assert (case.line_user_id, case.latitude, case.longitude) == (None, None, None)
    assert case.anonymised_at is not None
    assert (case.status, case.category.code, case.code) == ("closed", "roads", case.code)
    assert db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)).all() == []
    assert not path.exists()
    assert anonymise_expired_cases() == 0  # once only


def test_the_public_copies_of_an_expired_cases_photos_go_with_the_photos(app):
    case, _ = make_case(with_attachment=True, publication_allowed=True)
    supervisor = make_user(roles=("supervisor",))
    wording = PublicWording(title="ถนนชำรุด", photos={case.attachments[0].id: []})
    publish(supervisor, case, wording, case.version)
    copy = db.session.scalars(select(PublicPhoto)).one()
    paths = [
        uploads.file_path(app.config["UPLOAD_DIR"], n) for n in (copy.stored_name, copy.thumb_name)
    ]
    assert all(path.exists() for path in paths)
    close_case(case, days_ago=app.config["RETENTION_DAYS"] + 1)

    assert anonymise_expired_cases() == 1
    assert db.session.scalars(select(PublicPhoto)).all() == []
    assert not any(path.exists() for path in paths)
    assert db.session.scalars(select(Publication.title)).one() == "ถนนชำรุด"


def test_open_or_recently_closed_cases_are_kept(app):
    open_case, _ = make_case()
    recent, _ = make_case()
    close_case(recent, days_ago=10)
    assert anonymise_expired_cases() == 0
    assert open_case.contact_phone and recent.contact_phone


def test_anonymise_command_is_cron_friendly(app, runner):
    result = runner.invoke(args=["cases", "anonymise"])
    assert result.exit_code == 0
    assert "anonymised" in result.output
