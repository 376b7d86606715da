"""The intake form base both tracks share: the staging token and the service's field errors."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from app.forms import IntakeForm


def _form(app, **posted: str) -> IntakeForm:
    with app.test_request_context(method="POST"):
        return IntakeForm(formdata=MultiDict(posted), meta={"csrf": False})


def test_a_well_formed_staging_token_is_kept_so_accepted_files_stay(app):
    form = _form(app, staging_token="A" * 32)
    assert form.keep_staging_token(lambda: "new-" * 8) == "A" * 32
    assert form.staging_token.data == "A" * 32


@pytest.mark.parametrize(
    "posted", ["", "short", "../../etc/passwd-aaaaaaaaaaaaaaaa", "x" * 65, "a b" * 10]
)
def test_a_missing_or_forged_staging_token_is_replaced(app, posted):
    form = _form(app, staging_token=posted)
    assert form.keep_staging_token(lambda: "N" * 32) == "N" * 32
    assert form.staging_token.data == "N" * 32  # carried to the next try


def test_service_errors_go_beside_their_fields_and_unknown_names_are_ignored(app):
    form = _form(app, website="")
    form.show_errors({"website": "ผิด", "no_such_field": "ไม่มีช่องนี้"})
    assert form.website.errors == ["ผิด"]
    assert not hasattr(form, "no_such_field")
