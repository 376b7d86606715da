"""Admins manage reply templates, categories (due-date rules) and departments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.calendar import BANGKOK
from app.extensions import db
from app.models import Department
from cases.models import Category
from tests.factories import make_case


def test_admin_edits_due_date_rules_that_apply_to_new_cases(login_as):
    admin = login_as("admin")
    roads = db.session.scalars(select(Category).where(Category.code == "roads")).one()
    response = admin.post(
        f"/staff/admin/categories/{roads.id}",
        data={
            "code": "roads",
            "name_th": roads.name_th,
            "name_en": roads.name_en,
            "department_id": roads.department_id,
            "acknowledge_days": 1,
            "answer_days": 5,
            "sort_order": 0,
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert (roads.acknowledge_days, roads.answer_days) == (1, 5)
    # Friday 10 April 2026: 5 working days skip the weekend and Songkran (13-15 April).
    case, _ = make_case(received_at=datetime(2026, 4, 10, 9, 0, tzinfo=BANGKOK))
    assert str(case.answer_due) == "2026-04-22"


def test_category_codes_are_unique(login_as):
    admin = login_as("admin")
    water = db.session.scalars(select(Category).where(Category.code == "water")).one()
    response = admin.post(
        "/staff/admin/categories",
        data={
            "code": "WATER",
            "name_th": "ซ้ำ",
            "name_en": "dup",
            "department_id": water.department_id,
            "acknowledge_days": 3,
            "answer_days": 15,
        },
    )
    assert "รหัสนี้มีอยู่แล้ว" in response.get_data(as_text=True)


def test_admin_adds_a_department(login_as):
    admin = login_as("admin")
    admin.post(
        "/staff/admin/departments",
        data={
            "code": "audit",
            "name_th": "หน่วยตรวจสอบภายใน",
            "name_en": "Internal audit",
            "active": "y",
        },
    )
    assert db.session.scalars(select(Department).where(Department.code == "audit")).one()


def test_admin_manages_reply_templates(login_as):
    admin = login_as("admin")
    admin.post(
        "/staff/admin/reply-templates",
        data={"title": "ส่งช่างแล้ว", "body": "ได้ส่งช่างออกตรวจสอบแล้ว", "sort_order": 1, "active": "y"},
    )
    page = admin.get("/staff/admin/reply-templates").get_data(as_text=True)
    assert "ส่งช่างแล้ว" in page
    case, _ = make_case()
    officer_page = login_as("officer").get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "ส่งช่างแล้ว" in officer_page
