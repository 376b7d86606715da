"""Errors of the reports capability; views turn them into messages."""

from __future__ import annotations


class ReportError(Exception):
    """Base of the reports' domain errors."""


class InvalidPeriod(ReportError):
    """The requested period is not a valid round or date range."""


class NoteTooLong(ReportError):
    """The officer's findings or a measure's text is longer than a report can hold."""


class UnknownMeasure(ReportError):
    """The measures table of the round has no such row."""
