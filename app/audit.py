"""The append-only audit log: who did or saw what, when, from where (บันทึกการเข้าถึง).

``record`` adds an entry to the caller's session, so it is committed (or rolled back) with the
change it describes. The application has no update or delete path for audit rows: the mapper
refuses both, and so does any bulk UPDATE/DELETE statement aimed at the table.
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


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper: Mapper[Any], _connection: Any, target: AuditEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ is AuditEntry:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


def _actor(actor: Any | None) -> tuple[int | None, str]:
    if actor is not None:
        return int(actor.id), str(actor.email)
    if has_request_context() and current_user and current_user.is_authenticated:
        return int(current_user.id), str(current_user.email)
    return None, ""


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
    ``actor`` names the user when nobody is signed in yet (the sign-in itself).
    """
    user_id, email = _actor(actor)
    db.session.add(
        AuditEntry(
            at=utcnow(),
            user_id=user_id,
            user_email=email,
            ip=client_ip(),
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            detail=detail or {},
        )
    )
