"""Errors of the integrity track (messages are Thai source strings)."""

from __future__ import annotations


class IntegrityTrackError(Exception):
    """Base class of the integrity track's domain errors."""


class ReportRefused(IntegrityTrackError):
    """A report or message that cannot be stored as it is; ``field_errors``: field -> message."""

    def __init__(self, field_errors: dict[str, object]) -> None:
        super().__init__(", ".join(field_errors))
        self.field_errors = field_errors

    @property
    def message(self) -> str:
        """Every reason in one line, for a page that shows one message."""
        return " ".join(str(m) for m in self.field_errors.values())


class ReceiptNotAccepted(IntegrityTrackError):
    """The receipt is malformed, unknown or wrong (deliberately one error for all three)."""


class ReportNotFound(IntegrityTrackError):
    """No such report, or its content has been purged."""


class ReportNotVisible(IntegrityTrackError):
    """Only integrity officers may open integrity reports (admins manage accounts, not content)."""
