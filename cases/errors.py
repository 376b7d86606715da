"""Errors of the general track, with messages residents can read (Thai source strings)."""

from __future__ import annotations


class CaseError(Exception):
    """Base class of the general track's domain errors."""


class IntakeError(CaseError):
    """A submission that cannot be stored as it is; ``field_errors`` maps field -> message."""

    def __init__(self, field_errors: dict[str, object]) -> None:
        super().__init__(", ".join(field_errors))
        self.field_errors = field_errors


class CaseNotFound(CaseError):
    """No case matches the code and secret given (deliberately the same for both mistakes)."""


class SubscriberNotFound(CaseError):
    """An unfollow link whose id or token is wrong (the same answer for both)."""
