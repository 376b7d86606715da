"""Demo platform accounts for ``flask seed --demo``: a platform administrator and the
province office of Nakhon Ratchasima (the demo province), password ``DEMO_PASSWORD``; the
administrator's authenticator secret is ``DEMO_TOTP_SECRET`` (documented, demo only)."""

from __future__ import annotations

from app.auth.demo import DEMO_PASSWORD
from app.platform.models import AccountKind
from app.platform.services import create_platform_account, platform_account_by_email

DEMO_TOTP_SECRET = "RONGRIANDEMOPLATFORMADMINISTRATO"  # noqa: S105 (documented, --demo only)
# (e-mail, display name, kind, province)
DEMO_ACCOUNTS = (
    ("platform@demo.example.com", "ผู้ดูแลแพลตฟอร์ม", AccountKind.ADMINISTRATOR, None),
    (
        "oversight@demo.example.com",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครราชสีมา",
        AccountKind.OVERSIGHT,
        "30",
    ),
)


def seed_demo_platform_accounts() -> int:
    """Create the demo platform accounts that do not exist yet; return how many were created."""
    created = 0
    for email, name, kind, province in DEMO_ACCOUNTS:
        if platform_account_by_email(email) is None:
            create_platform_account(
                email, name, DEMO_PASSWORD, kind, province=province, totp_secret=DEMO_TOTP_SECRET
            )
            created += 1
    return created
