"""Staff accounts: users, their roles and departments, recovery codes and sign-in failures."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models import Base, CreatedAtMixin, OrganizationOwned, utcnow

if TYPE_CHECKING:
    from app.models import Department


class Role(StrEnum):
    """What a staff member may do; a user can hold several."""

    OFFICER = "officer"  # works the cases of their department(s)
    SUPERVISOR = "supervisor"  # every general case; reassigns and reopens
    INTEGRITY = "integrity"  # the corruption track
    EXECUTIVE = "executive"  # read-only dashboards and reports
    ADMIN = "admin"  # users, categories, departments, due-date rules


# Roles whose accounts must sign in with a second factor.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.INTEGRITY})

user_departments = Table(
    "user_departments",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class SignsInAccount:
    """Flask-Login's user protocol and session ending, for every kind of account that signs in
    (a body's ``User``, a platform account): ``active`` and ``session_version`` columns."""

    if TYPE_CHECKING:
        active: bool
        session_version: int

    @property
    def is_authenticated(self) -> bool:
        """Loaded accounts are signed in (Flask-Login's protocol)."""
        return True

    @property
    def is_active(self) -> bool:
        """Disabled accounts cannot sign in and lose their sessions."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous (Flask-Login's protocol)."""
        return False

    def end_all_sessions(self) -> None:
        """Invalidate every session cookie issued to this account."""
        self.session_version = (self.session_version or 0) + 1


class UserRole(OrganizationOwned, Base):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class User(SignsInAccount, OrganizationOwned, CreatedAtMixin, Base):
    """A staff member who signs in (เจ้าหน้าที่). Never deleted: disabled with ``active``."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("organization_id", "email", name="uq_users_organization_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session cookie's user id: bumping it ends every session of the user.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step accepted, so one code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column()

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    departments: Mapped[list[Department]] = relationship(
        secondary=user_departments, lazy="selectin", order_by="Department.id"
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """The id kept in the session: user id and session version, so old cookies die."""
        return f"{self.id}:{self.session_version}"

    # --- roles and departments ---
    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds."""
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role | str) -> bool:
        """Whether the user holds at least one of ``roles``."""
        return bool(self.roles & {Role(r) for r in roles})

    def set_roles(self, roles: set[Role] | frozenset[Role] | list[Role]) -> None:
        """Replace the user's roles."""
        wanted = {Role(r) for r in roles}
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        held = {row.role for row in self.role_rows}
        self.role_rows.extend(UserRole(role=r.value) for r in sorted(wanted) if r not in held)

    @property
    def department_ids(self) -> frozenset[int]:
        """Ids of the departments whose cases the user works."""
        return frozenset(d.id for d in self.departments)

    @property
    def needs_two_factor(self) -> bool:
        """Admins and integrity officers must use a second factor."""
        return bool(self.roles & TWO_FACTOR_ROLES)


class RecoveryCode(CreatedAtMixin, Base):
    """A one-time code that replaces a TOTP code when the phone is lost; stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class SignInFailure(Base):
    """A failed sign-in, counted per account key and per IP to throttle guessing.

    ``account_key`` is a hash of the typed e-mail whether or not such a user exists, so the
    throttle behaves the same for unknown accounts and reveals nothing.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account_key_at", "account_key", "at"),
        Index("ix_sign_in_failures_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(default=utcnow)
