"""Platform accounts (administrators and oversight) and first-admin invitations.

Neither belongs to a body: a platform account is no body's member and holds no body role, so no
role check of a body's pages can ever let it in; an invitation is the platform's promise of one
body's first admin account, kept apart from the body's users until it is taken up.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.models import Role, SignsInAccount
from app.models import Base, CreatedAtMixin

# A platform session's id in the cookie starts with this; a body user's is a bare number.
SESSION_PREFIX = "platform:"


class AccountKind(StrEnum):
    """What a platform account is for."""

    ADMINISTRATOR = "administrator"  # ผู้ดูแลแพลตฟอร์ม: organizations and first admins
    OVERSIGHT = "oversight"  # สถ.จังหวัด / อำเภอ: the figures of the bodies in its area


class PlatformAccount(SignsInAccount, CreatedAtMixin, Base):
    """Someone who signs in on the platform's own pages, never on a body's."""

    __tablename__ = "platform_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    # An oversight account's area: a province, and a district for an อำเภอ office.
    province_code: Mapped[str | None] = mapped_column(String(2))
    district_code: Mapped[str | None] = mapped_column(String(4))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    # Administrators sign in with a code from an authenticator app too (app.auth.two_factor);
    # the secret is made with the account on the server, so there is no web enrolment to attack.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    # Read by the audit log and the guards: this is not a body's user.
    is_platform_account = True

    def get_id(self) -> str:
        """The session's id: marked as the platform's, with the session version."""
        return f"{SESSION_PREFIX}{self.id}:{self.session_version}"

    @property
    def roles(self) -> frozenset[Role]:
        """No body role, ever: every permission check of a body's pages fails closed."""
        return frozenset()

    @property
    def needs_two_factor(self) -> bool:
        """Administrators must give an authenticator code at every sign-in."""
        return self.is_administrator

    @property
    def recovery_codes(self) -> tuple[()]:
        """None: a lost phone is replaced on the server (``flask users create-platform-admin
        --reset-two-factor``), never from a browser."""
        return ()

    @property
    def is_administrator(self) -> bool:
        """Whether this account manages organizations."""
        return self.kind == AccountKind.ADMINISTRATOR

    @property
    def is_oversight(self) -> bool:
        """Whether this account reads the figures of the bodies in its area."""
        return self.kind == AccountKind.OVERSIGHT


class Invitation(CreatedAtMixin, Base):
    """A one-time code that lets one person set the password of a body's first admin account.

    Only the code's SHA-256 is kept; it is used up by one conditional UPDATE (``used_at``), so
    two requests with the same code cannot both make an account.
    """

    __tablename__ = "platform_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("platform_accounts.id"))
