"""Demo accounts, one per role, created only by ``flask seed --demo`` (see README)."""

from __future__ import annotations

from collections.abc import Sequence

from app.auth.models import Role
from app.auth.services import create_user, user_by_email

# (e-mail, display name, role, departments); every demo account's password is DEMO_PASSWORD.
DEMO_PASSWORD = "rongrian-demo-2569"  # noqa: S105 (documented demo password, --demo only)
DemoUser = tuple[str, str, Role, tuple[str, ...]]
DEMO_USERS: tuple[DemoUser, ...] = (
    ("officer@demo.example.com", "สมชาย ใจดี (เจ้าหน้าที่กองช่าง)", Role.OFFICER, ("works",)),
    ("office@demo.example.com", "วันดี มีสุข (เจ้าหน้าที่สำนักปลัด)", Role.OFFICER, ("office",)),
    ("finance@demo.example.com", "ทองใบ ประหยัด (เจ้าหน้าที่กองคลัง)", Role.OFFICER, ("finance",)),
    ("education@demo.example.com", "ครูแก้ว ใฝ่รู้ (เจ้าหน้าที่กองการศึกษา)", Role.OFFICER, ("education",)),
    ("health@demo.example.com", "พยาบาลจิต สะอาด (เจ้าหน้าที่กองสาธารณสุข)", Role.OFFICER, ("health",)),
    ("supervisor@demo.example.com", "สมศรี รักงาน (ปลัด)", Role.SUPERVISOR, ()),
    ("integrity@demo.example.com", "วิชัย ซื่อตรง (รับเรื่องทุจริต)", Role.INTEGRITY, ()),
    ("executive@demo.example.com", "ประเสริฐ นำชัย (นายก อบต.)", Role.EXECUTIVE, ()),
    ("admin@demo.example.com", "ผู้ดูแลระบบ", Role.ADMIN, ()),
)


def seed_demo_users(users: Sequence[DemoUser] = DEMO_USERS) -> int:
    """Create the demo accounts (of the organization in scope) that do not exist yet; return how
    many were created."""
    created = 0
    for email, name, role, departments in users:
        if user_by_email(email) is None:
            create_user(email, name, DEMO_PASSWORD, [role], departments)
            created += 1
    return created


def demo_officers(users: Sequence[DemoUser] = DEMO_USERS) -> dict[int, int]:
    """The demo officer of each department: department id -> user id (cases go to them)."""
    officers: dict[int, int] = {}
    for email, _name, role, _departments in users:
        user = user_by_email(email)
        if role == Role.OFFICER and user is not None:
            for department in user.departments:
                officers.setdefault(department.id, user.id)
    return officers
