"""What staff may do: one list of permissions and the one mapping of roles to them.

Views guard with ``permission_required`` (``app.auth.decorators``), services and queries ask
``has_permission`` or build their role sets with ``roles_with``: who may do what is decided here
and nowhere else (*warehouse*'s ``Permissions``). A role is a bundle of permissions; a user may hold
several roles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from app.auth.models import Role


class Permission(StrEnum):
    """One thing a staff member may do."""

    WORK_CASES = "work_cases"  # the general queue and the cases of their own departments
    SEE_EVERY_CASE = "see_every_case"  # every department's cases, not only their own
    MOVE_CASES = "move_cases"  # hand a case to another department
    REOPEN_CASES = "reopen_cases"  # reopen a finished case
    WORK_INTEGRITY = "work_integrity"  # the corruption track's queue and reports
    READ_REPORTS = "read_reports"  # the six-monthly summary and its exports
    WRITE_REPORTS = "write_reports"  # the summary's narrative and measures
    READ_INTEGRITY_COUNTS = "read_integrity_counts"  # the corruption track's figures in reports
    ADMINISTER = "administer"  # accounts, categories, departments, the outbox


ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset(
        {Permission.WORK_CASES, Permission.READ_REPORTS, Permission.WRITE_REPORTS}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.WORK_CASES,
            Permission.SEE_EVERY_CASE,
            Permission.MOVE_CASES,
            Permission.REOPEN_CASES,
            Permission.READ_REPORTS,
            Permission.WRITE_REPORTS,
        }
    ),
    Role.INTEGRITY: frozenset(
        {Permission.WORK_INTEGRITY, Permission.READ_REPORTS, Permission.READ_INTEGRITY_COUNTS}
    ),
    Role.EXECUTIVE: frozenset({Permission.READ_REPORTS, Permission.READ_INTEGRITY_COUNTS}),
    Role.ADMIN: frozenset({Permission.ADMINISTER}),
}


P = ParamSpec("P")
R = TypeVar("R")


class HasRoles(Protocol):
    """Anything holding roles (a ``User``)."""

    @property
    def roles(self) -> frozenset[Role]: ...


U = TypeVar("U", bound=HasRoles)


def roles_with(permission: Permission) -> frozenset[Role]:
    """The roles that grant ``permission`` (for role-keyed tables such as a workflow's)."""
    return frozenset(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)


def has_permission(user: HasRoles, permission: Permission) -> bool:
    """Whether one of ``user``'s roles grants ``permission``."""
    return bool(user.roles & roles_with(permission))


def requires(
    permission: Permission, refusal: Callable[[], Exception]
) -> Callable[[Callable[Concatenate[U, P], R]], Callable[Concatenate[U, P], R]]:
    """For a service whose first argument is the acting user: raise ``refusal()`` unless that
    user holds ``permission`` (the view's guard is the first wall, this the second)."""

    def decorator(service: Callable[Concatenate[U, P], R]) -> Callable[Concatenate[U, P], R]:
        @wraps(service)
        def guarded(user: U, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not has_permission(user, permission):
                raise refusal()
            return service(user, *args, **kwargs)

        return guarded

    return decorator
