"""Errors of the reports capability; views turn them into messages."""

from __future__ import annotations


class ReportError(Exception):
    """Base of the reports' domain errors."""


class InvalidPeriod(ReportError):
    """The requested period is not a valid round or date range."""


class NoteTooLong(ReportError):
    """The officer's narrative or measures text is longer than a report can hold."""
