"""The append-only audit log: who did or saw what, when, from where (บันทึกการเข้าถึง).

``record`` adds an entry to the caller's session, so it is committed (or rolled back) with the
change it describes. The application has no update or delete path for audit rows: the mapper
refuses both, and so does any bulk UPDATE/DELETE statement aimed at the table.

A body's entries are its own (``audit_entries``, organization-owned); what happens on the
platform's own pages, with no body in scope (platform administrators' and oversight accounts'
sign-ins, organizations made or suspended, roll-ups downloaded), goes to
``platform_audit_entries``. ``record`` picks the log from the scope.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column

from app.extensions import db
from app.models import Base, OrganizationOwned, utcnow
from app.organizations.scope import current_organization_id


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntry(OrganizationOwned, Base):
    """One audited action."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at", "id"),
        Index("ix_audit_entries_action_at", "action", "at"),
        Index("ix_audit_entries_target", "target_type", "target_id"),
        Index("ix_audit_entries_user_id_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The e-mail at the time, kept so entries stay readable if the account is renamed.
    user_email: Mapped[str] = mapped_column(String(254), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PlatformAuditEntry(Base):
    """One audited action on the platform's own pages (no body in scope).

    ``account_id`` is a platform account (``app.platform``), never a body's user.
    """

    __tablename__ = "platform_audit_entries"
    __table_args__ = (Index("ix_platform_audit_entries_at", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    account_id: Mapped[int | None] = mapped_column()
    account_email: Mapped[str] = mapped_column(String(254), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


APPEND_ONLY = (AuditEntry, PlatformAuditEntry)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
@event.listens_for(PlatformAuditEntry, "before_update")
@event.listens_for(PlatformAuditEntry, "before_delete")
def _refuse_change(_mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ in APPEND_ONLY:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


def _actor(actor: Any | None) -> tuple[int | None, str, bool]:
    """The acting account's id and e-mail, and whether it is a platform account."""
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    if actor is None:
        return None, "", False
    return int(actor.id), str(actor.email), bool(getattr(actor, "is_platform_account", False))


def omit_client_ip() -> None:
    """Keep no address in entries written during this request.

    For pages whose visitors must stay untraceable (integrity reporters): even a refused form
    there must not tie an IP address to the moment a report or message was sent.
    """
    g.audit_omit_ip = True


def client_ip() -> str:
    """The requesting address (behind a proxy, configure ProxyFix so this is the client's)."""
    if not has_request_context() or g.get("audit_omit_ip"):
        return ""
    return (request.remote_addr or "")[:45]


# Path segments that are secrets (a status link's token): never written to the audit log.
SECRET_VIEW_ARGS = frozenset({"token"})
# Also any long random-looking segment, for paths no route matched (no view arguments then).
_SECRET_LOOKING = re.compile(r"[A-Za-z0-9_-]{20,}")
REDACTED = "<redacted>"


def loggable_path() -> str:
    """The request's path with secret segments replaced by ``<redacted>``, for the audit log.

    A refused form's path is recorded; on a status link that path would carry the token, which
    opens the resident's case to anyone who can read the log.
    """
    if not has_request_context():
        return ""
    secrets = {str(v) for k, v in (request.view_args or {}).items() if k in SECRET_VIEW_ARGS}
    segments = request.path.split("/")
    kept = [
        REDACTED if part in secrets or _SECRET_LOOKING.fullmatch(part) else part
        for part in segments
    ]
    return "/".join(kept)[:500]


def record(
    action: str,
    *,
    target_type: str | None = None,
    target_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    actor: Any | None = None,
) -> None:
    """Add an audit entry for ``action`` by the current user, now, from the request's IP.

    The entry joins the caller's transaction: commit it with the change it describes.
    ``actor`` names the user when nobody is signed in yet (the sign-in itself). In a body's
    scope it goes to that body's log (a platform account's attempt shows as ``platform:<e-mail>``,
    tied to no user of the body); on the platform's own pages to the platform's log.
    """
    account_id, email, from_platform = _actor(actor)
    target = None if target_id is None else str(target_id)
    if current_organization_id(db.session) is None:
        db.session.add(
            PlatformAuditEntry(
                at=utcnow(),
                account_id=account_id if from_platform else None,
                account_email=email,
                ip=client_ip(),
                action=action,
                target_type=target_type,
                target_id=target,
                detail=detail or {},
            )
        )
        return
    db.session.add(
        AuditEntry(
            at=utcnow(),
            user_id=None if from_platform else account_id,
            user_email=f"platform:{email}" if from_platform else email,
            ip=client_ip(),
            action=action,
            target_type=target_type,
            target_id=target,
            detail=detail or {},
        )
    )
