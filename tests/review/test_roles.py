"""Who may open what: one table of (role, method, URL) -> HTTP status, route by route.

``None`` is a visitor who is not signed in (sent to the sign-in page). Officers belong to
กองช่าง (works), the department of the case used here.
"""

from __future__ import annotations

import pytest

from tests.factories import make_case

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ROLES = (None, "officer", "supervisor", "integrity", "executive", "admin")


def _row(method: str, url: str, *expected: int) -> list[tuple[str | None, str, str, int]]:
    return [(role, method, url, status) for role, status in zip(ROLES, expected, strict=True)]


# Columns after the URL: anonymous, officer, supervisor, integrity, executive, admin.
TABLE = [
    *_row("GET", "/staff/", REDIRECT, OK, OK, OK, OK, OK),
    *_row("GET", "/staff/cases", REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    *_row("GET", "/staff/cases/{case}", REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    *_row(
        "GET",
        "/staff/cases/{case}/attachments/{attachment}",
        REDIRECT,
        OK,
        OK,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
    ),
    *_row(
        "POST",
        "/staff/cases/{case}/status",
        REDIRECT,
        REDIRECT,
        REDIRECT,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
    ),
    *_row(
        "POST",
        "/staff/cases/{case}/reply",
        REDIRECT,
        REDIRECT,
        REDIRECT,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
    ),
    *_row(
        "POST",
        "/staff/cases/{case}/note",
        REDIRECT,
        REDIRECT,
        REDIRECT,
        FORBIDDEN,
        FORBIDDEN,
        FORBIDDEN,
    ),
    *_row("GET", "/staff/cases/new", REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    *_row("GET", "/staff/password", REDIRECT, OK, OK, OK, OK, OK),
    *[
        row
        for url in (
            "/staff/admin/users",
            "/staff/admin/users/new",
            "/staff/admin/audit",
            "/staff/admin/categories",
            "/staff/admin/departments",
            "/staff/admin/reply-templates",
        )
        for row in _row("GET", url, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
    ],
]


@pytest.mark.parametrize(("role", "method", "url", "expected"), TABLE)
def test_role_table(app, login_as, role, method, url, expected):
    case, _ = make_case(with_attachment=True)
    client = login_as(role) if role else app.test_client()
    target = url.format(case=case.id, attachment=case.attachments[0].id)
    data = {"action": "accept", "body": "ข้อความทดสอบ", "version": case.version}
    response = client.open(target, method=method, data=data if method == "POST" else None)
    response.close()
    assert response.status_code == expected
    if expected == REDIRECT and role is None:
        assert response.headers["Location"].startswith("/staff/login")


def test_an_officer_of_another_department_is_refused_the_case(login_as):
    case, _ = make_case()
    finance = login_as("officer", departments=("finance",))
    assert finance.get(f"/staff/cases/{case.id}").status_code == FORBIDDEN
    assert case.code not in finance.get("/staff/cases").get_data(as_text=True)
