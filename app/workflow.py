"""A generic status state machine, shared by the general track and the integrity track.

Each track declares its statuses and a ``Workflow`` of named transitions (which statuses an
action leaves from, where it goes, who may take it, what must be given with it). ``Workflow.apply``
checks one transition and sets the new status; illegal moves raise ``WorkflowError`` subclasses
whose ``message`` is Thai text for the officer. Recording the transition (timeline, audit,
notification) stays with the track's service, which knows its own tables; each change runs
inside ``change_transaction``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow


class WorkflowError(Exception):
    """A transition that cannot be made; ``message`` is what the officer reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(WorkflowError):
    """The action does not apply to the current status (or is unknown)."""


class TransitionNotPermitted(WorkflowError):
    """The user's roles do not allow this action."""


class ConcurrentChange(WorkflowError):
    """Someone else changed the record since this officer's page was loaded (both tracks)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "เรื่องนี้ถูกแก้ไขโดยเจ้าหน้าที่อีกท่านระหว่างที่ท่านเปิดดูอยู่ หน้านี้แสดงข้อมูลล่าสุดแล้ว"
                " กรุณาตรวจสอบแล้วทำรายการอีกครั้ง"
            )
        )


class MissingTransitionField(WorkflowError):
    """Something the action requires (a reason, an agency) was not given."""

    def __init__(self, message: str, field_name: str) -> None:
        super().__init__(message)
        self.field_name = field_name


@dataclass(frozen=True)
class Transition:
    """One named move: from any of ``sources`` to ``target``.

    ``roles`` who may take it (empty: anyone allowed to work the record); ``requires`` maps the
    name of each field that must be non-blank to the message shown when it is missing.
    """

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str] = frozenset()
    requires: Mapping[str, object] = field(default_factory=dict)


class HasStatus(Protocol):
    """Anything with a mutable ``status`` string (a case, an integrity report...)."""

    status: str


@dataclass(frozen=True)
class AppliedTransition:
    """What ``Workflow.apply`` did: the action, the status before and after, the fields given."""

    action: str
    from_status: str
    to_status: str
    fields: Mapping[str, str]


class Workflow:
    """A table of transitions plus the labels used in messages."""

    def __init__(
        self,
        transitions: Iterable[Transition],
        action_labels: Mapping[Any, object],
        status_labels: Mapping[Any, object],
    ) -> None:
        self.transitions = {t.action: t for t in transitions}
        self.action_labels = action_labels
        self.status_labels = status_labels

    def _label(self, labels: Mapping[Any, object], value: str) -> str:
        return str(labels.get(value, value))

    def get(self, action: str) -> Transition:
        """The transition named ``action``; ``IllegalTransition`` if there is none."""
        try:
            return self.transitions[action]
        except KeyError:
            raise IllegalTransition(_("ไม่รู้จักคำสั่งนี้")) from None

    def allowed(self, status: str, roles: Iterable[str]) -> list[Transition]:
        """The transitions a holder of ``roles`` may take from ``status``, in table order."""
        held = set(roles)
        return [
            t
            for t in self.transitions.values()
            if status in t.sources and (not t.roles or t.roles & held)
        ]

    def check(
        self, status: str, action: str, roles: Iterable[str], fields: Mapping[str, str]
    ) -> Transition:
        """Return the transition if it may be taken now, else raise a ``WorkflowError``."""
        transition = self.get(action)
        if status not in transition.sources:
            raise IllegalTransition(
                _(
                    "ไม่สามารถ%(action)sได้ เพราะเรื่องอยู่ในสถานะ “%(status)s”",
                    action=self._label(self.action_labels, action),
                    status=self._label(self.status_labels, status),
                )
            )
        if transition.roles and not transition.roles & set(roles):
            raise TransitionNotPermitted(
                _(
                    "ท่านไม่มีสิทธิ์%(action)s",
                    action=self._label(self.action_labels, action),
                )
            )
        for name, message in transition.requires.items():
            if not (fields.get(name) or "").strip():
                raise MissingTransitionField(str(message), name)
        return transition

    def apply(
        self, record: HasStatus, action: str, roles: Iterable[str], **fields: str
    ) -> AppliedTransition:
        """Check ``action`` against ``record``'s status and move it; return what happened."""
        transition = self.check(record.status, action, roles, fields)
        before = record.status
        record.status = transition.target
        cleaned = {k: (v or "").strip() for k, v in fields.items()}
        return AppliedTransition(action, before, transition.target, cleaned)


class HasActivity(Protocol):
    """A record staff work on: it remembers when it last changed and counts its versions (a
    case, an integrity report)."""

    last_activity_at: datetime
    version: int


@contextmanager
def change_transaction(record: HasActivity, expected_version: int | None = None) -> Iterator[None]:
    """Run a change of ``record`` as one transaction: all of it is committed, or none of it.

    ``expected_version`` is the version the user saw on their page: if the record has moved on
    since, ``ConcurrentChange`` is raised before anything changes. The record's version counter
    also makes the commit fail with ``StaleDataError`` when a colleague changed it since it was
    loaded; that raises ``ConcurrentChange`` too, instead of overwriting their work.
    """
    if expected_version is not None and expected_version != record.version:
        raise ConcurrentChange()
    try:
        with unit_of_work(db.session):
            yield
            record.last_activity_at = utcnow()
    except StaleDataError as exc:
        raise ConcurrentChange() from exc
