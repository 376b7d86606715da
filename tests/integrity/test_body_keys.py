"""Each organization's integrity reports are under its own data key, wrapped by the master key
(issue 10, "The integrity track stays per body")."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask
from sqlalchemy import select, text, update
from sqlalchemy.orm import load_only

from app import uploads
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import create_organization, resolve_area
from integrity import crypto
from integrity.evidence import evidence_bytes, evidence_dir
from integrity.models import IntegrityAttachment, IntegrityMessage, IntegrityReport
from tests.conftest import TEST_INTEGRITY_KEY
from tests.integrity.conftest import ACCUSED, DETAILS, make_report


def _raw(report_id: int) -> tuple[str, str]:
    row = db.session.execute(
        text("SELECT about, details FROM integrity_reports WHERE id = :id"), {"id": report_id}
    ).one()
    return str(row.about), str(row.details)


def _evidence_path(report: IntegrityReport):  # type: ignore[no-untyped-def]
    return uploads.file_path(str(evidence_dir()), report.attachments[0].stored_name)


def _wrapped(organization_id: int) -> str:
    wrapped = crypto.stored_wrapped_key(db.session.connection(), organization_id)
    assert wrapped is not None
    return wrapped


@pytest.fixture
def two_bodies(app: Flask) -> tuple[tuple[int, int], tuple[int, int]]:
    """A report with evidence in the first body and one in a second: ((org, report), ...)."""
    first = db.session.scalar(select(Organization.id).order_by(Organization.id))
    assert first is not None
    b = create_organization(
        db.session, "body-b", name_th="อบต.บี", area=resolve_area(None, None, ("300116",))
    )
    with organization_scope(first):
        report_a, _ = make_report(with_evidence=True)
    with organization_scope(b.id):
        report_b, _ = make_report(with_evidence=True)
    return (first, report_a.id), (b.id, report_b.id)


def test_each_body_encrypts_under_its_own_key(two_bodies) -> None:
    (org_a, report_a), (org_b, report_b) = two_bodies
    key_a, key_b = crypto.organization_key(org_a), crypto.organization_key(org_b)
    assert key_a is not None and key_b is not None
    about_a, _ = _raw(report_a)
    about_b, _ = _raw(report_b)
    assert key_a.decrypt(about_a.encode()).decode() == ACCUSED
    assert key_b.decrypt(about_b.encode()).decode() == ACCUSED
    with pytest.raises(InvalidToken):
        key_b.decrypt(about_a.encode())  # body A's ciphertext is not readable with B's key
    with pytest.raises(InvalidToken):
        crypto.master().decrypt(about_a.encode())  # nor with the master key alone
    with organization_scope(org_a):
        attachment = db.session.scalars(select(IntegrityAttachment)).one()
        with pytest.raises(InvalidToken):
            key_b.decrypt(_evidence_path(attachment.report).read_bytes())
        assert evidence_bytes(attachment).startswith(b"\x89PNG")


def test_no_plain_key_is_stored(two_bodies) -> None:
    (org_a, _), (org_b, _) = two_bodies
    for organization_id in (org_a, org_b):
        wrapped = _wrapped(organization_id)
        plain = crypto.master().decrypt(wrapped.encode())
        assert plain.decode() not in wrapped
        with pytest.raises(ValueError):
            Fernet(wrapped.encode())  # what is stored is no usable key by itself
    assert _wrapped(org_a) != _wrapped(org_b)


def test_rotating_one_body_leaves_the_others_bytes_alone(two_bodies, runner) -> None:
    (org_a, report_a), (org_b, report_b) = two_bodies
    with organization_scope(org_b):
        file_b = _evidence_path(db.session.get(IntegrityReport, report_b))
    with organization_scope(org_a):
        file_a = _evidence_path(db.session.get(IntegrityReport, report_a))
    before_a, before_b = _raw(report_a), _raw(report_b)
    files_before = file_a.read_bytes(), file_b.read_bytes()
    wrapped_a, wrapped_b = _wrapped(org_a), _wrapped(org_b)
    slug_a = db.session.get(Organization, org_a).slug
    db.session.commit()

    result = runner.invoke(args=["integrity", "rotate-key", "--org", slug_a])
    assert result.exit_code == 0, result.output
    # Body A's 4 report fields, 2 timeline entries and a file name, and its one file.
    assert "re-encrypted 7 values and 1 files" in result.output

    assert (_raw(report_b), file_b.read_bytes(), _wrapped(org_b)) == (
        before_b,
        files_before[1],
        wrapped_b,
    )
    assert _raw(report_a)[0] != before_a[0] and file_a.read_bytes() != files_before[0]
    assert _wrapped(org_a) != wrapped_a
    with pytest.raises(InvalidToken):
        crypto.unwrap(org_a, wrapped_a).decrypt(_raw(report_a)[0].encode())
    db.session.expire_all()
    with organization_scope(org_a):
        report = db.session.get(IntegrityReport, report_a)
        assert (report.about, report.details) == (ACCUSED, DETAILS)
        assert evidence_bytes(report.attachments[0]).startswith(b"\x89PNG")
    assert not list(file_a.parent.glob("*.rotating"))


def test_master_key_ciphertext_still_reads_and_rotate_moves_it_to_the_body_key(
    app: Flask, runner
) -> None:
    report, _ = make_report(with_evidence=True)
    master = crypto.master()
    # What an install wrote before bodies had keys: tokens under the master key directly.
    legacy = master.encrypt("ก่อนมีกุญแจหน่วยงาน".encode()).decode()
    db.session.execute(
        update(IntegrityReport).where(IntegrityReport.id == report.id).values(about=None)
    )
    db.session.execute(
        text("UPDATE integrity_reports SET about = :token WHERE id = :id"),
        {"token": legacy, "id": report.id},
    )
    path = _evidence_path(report)
    path.write_bytes(master.encrypt(b"\x89PNG legacy"))
    db.session.commit()
    db.session.expire_all()
    report = db.session.get(IntegrityReport, report.id)
    assert report.about == "ก่อนมีกุญแจหน่วยงาน"
    assert evidence_bytes(report.attachments[0]) == b"\x89PNG legacy"

    result = runner.invoke(args=["integrity", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 1 values and 1 files" in result.output
    body = crypto.organization_key(report.organization_id)
    assert body is not None
    assert body.decrypt(_raw(report.id)[0].encode()).decode() == "ก่อนมีกุญแจหน่วยงาน"
    assert body.decrypt(path.read_bytes()) == b"\x89PNG legacy"
    with pytest.raises(InvalidToken):
        master.decrypt(_raw(report.id)[0].encode())


def test_master_key_rotation_re_wraps_data_keys_only(app: Flask, runner) -> None:
    report, _ = make_report()
    before = _raw(report.id)
    wrapped = _wrapped(report.organization_id)
    data_key = crypto.master().decrypt(wrapped.encode())
    db.session.commit()
    new_master = Fernet.generate_key().decode()
    app.config["INTEGRITY_KEY"] = f"{new_master},{TEST_INTEGRITY_KEY}"

    result = runner.invoke(args=["integrity", "rotate-key"])
    assert result.exit_code == 0, result.output

    rewrapped = _wrapped(report.organization_id)
    assert rewrapped != wrapped
    assert Fernet(new_master.encode()).decrypt(rewrapped.encode()) == data_key
    with pytest.raises(InvalidToken):
        MultiFernet([Fernet(TEST_INTEGRITY_KEY.encode())]).decrypt(rewrapped.encode())
    assert _raw(report.id) == before  # the reports themselves are untouched
    app.config["INTEGRITY_KEY"] = new_master
    db.session.expire_all()
    assert db.session.get(IntegrityReport, report.id).about == ACCUSED


def _raw_message(message_id: int) -> str:
    return str(
        db.session.execute(
            text("SELECT body FROM integrity_messages WHERE id = :id"), {"id": message_id}
        ).scalar_one()
    )


def test_a_value_is_written_under_its_rows_body_key_whatever_the_scope(two_bodies) -> None:
    (org_a, _), (org_b, report_b) = two_bodies
    key_b = crypto.organization_key(org_b)
    assert key_b is not None
    with platform_scope():
        written_by_platform = IntegrityMessage(
            report_id=report_b, organization_id=org_b, type="note", body="บันทึกจากแพลตฟอร์ม"
        )
        db.session.add(written_by_platform)
        db.session.commit()
    with organization_scope(org_a):
        written_from_a = IntegrityMessage(
            report_id=report_b, organization_id=org_b, type="note", body="บันทึกจากอีกที่"
        )
        db.session.add(written_from_a)
        db.session.commit()
    for message, plain in (
        (written_by_platform, "บันทึกจากแพลตฟอร์ม"),
        (written_from_a, "บันทึกจากอีกที่"),
    ):
        raw = _raw_message(message.id).encode()
        assert key_b.decrypt(raw).decode() == plain
        with pytest.raises(InvalidToken):
            crypto.master().decrypt(raw)  # not left under the master key for rotate-key


def test_a_value_changed_in_platform_scope_stays_under_its_rows_body_key(two_bodies) -> None:
    _, (org_b, report_b) = two_bodies
    key_b = crypto.organization_key(org_b)
    assert key_b is not None
    with platform_scope():
        message = db.session.scalars(
            select(IntegrityMessage)
            .where(IntegrityMessage.report_id == report_b)
            .options(load_only(IntegrityMessage.id, IntegrityMessage.organization_id))
            .limit(1)
        ).one()
        message.body = "แก้ไขในระดับแพลตฟอร์ม"
        db.session.commit()
        raw = _raw_message(message.id).encode()
    assert key_b.decrypt(raw).decode() == "แก้ไขในระดับแพลตฟอร์ม"
