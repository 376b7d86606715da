"""The database engine never writes the values of a failing statement into errors or logs."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db

PHONE = "0898765432"
NAME = "สมหญิง รักดี"
# Misses the NOT NULL columns of a case, so it fails with the resident's data bound.
FAILING_INSERT = text("INSERT INTO cases (code, contact_name, contact_phone) VALUES (:c, :n, :p)")


def _fail() -> None:
    db.session.execute(FAILING_INSERT, {"c": "R70-999999", "n": NAME, "p": PHONE})


def test_a_failing_insert_names_no_parameter_values(app):
    with pytest.raises(IntegrityError) as failure:
        _fail()
    db.session.rollback()
    message = str(failure.value)
    assert "INSERT INTO cases" in message
    assert PHONE not in message and NAME not in message and "R70-999999" not in message
    assert db.engine is not None and db.engine.hide_parameters


def test_the_logged_traceback_of_a_failing_request_has_no_personal_data(app_factory, caplog):
    application = app_factory()

    def boom() -> str:
        _fail()
        return "never"

    application.add_url_rule("/test-failing-insert", view_func=boom)
    with caplog.at_level(logging.DEBUG):
        response = application.test_client().get("/test-failing-insert")
    assert response.status_code == 500
    assert "unhandled error" in caplog.text and "IntegrityError" in caplog.text
    assert PHONE not in caplog.text and NAME not in caplog.text
