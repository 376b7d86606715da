"""One mapping of roles to permissions: the guards, the queue and the services all follow it."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from app.permissions import ROLE_PERMISSIONS, Permission, has_permission, requires, roles_with


class Holder:
    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)


class Refused(Exception):
    pass


@requires(Permission.WORK_INTEGRITY, Refused)
def _integrity_only(user: Holder, value: int) -> int:
    return value * 2


def test_every_permission_is_granted_by_some_role():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(Permission)


@pytest.mark.parametrize(
    ("permission", "roles"),
    [
        (Permission.WORK_CASES, {Role.OFFICER, Role.SUPERVISOR}),
        (Permission.REOPEN_CASES, {Role.SUPERVISOR}),
        (Permission.WORK_INTEGRITY, {Role.INTEGRITY}),
        (Permission.READ_INTEGRITY_COUNTS, {Role.INTEGRITY, Role.EXECUTIVE}),
        (Permission.ADMINISTER, {Role.ADMIN}),
    ],
)
def test_roles_with_a_permission(permission, roles):
    assert roles_with(permission) == roles


def test_a_user_holds_the_permissions_of_all_their_roles():
    user = Holder(Role.EXECUTIVE, Role.ADMIN)
    assert has_permission(user, Permission.READ_REPORTS)
    assert has_permission(user, Permission.ADMINISTER)
    assert not has_permission(user, Permission.WORK_CASES)


def test_a_guarded_service_refuses_a_user_without_the_permission():
    assert _integrity_only(Holder(Role.INTEGRITY), 4) == 8
    with pytest.raises(Refused):
        _integrity_only(Holder(Role.SUPERVISOR, Role.ADMIN), 4)
