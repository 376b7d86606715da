"""Errors of the notifications capability."""

from __future__ import annotations


class DeliveryError(Exception):
    """A message could not be handed to its channel.

    ``permanent`` failures (an address the server refuses, a LINE user id it rejects) go straight
    to the dead letters; temporary ones (timeouts, 5xx, rate limits) are retried with backoff.
    """

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class NotificationNotFound(Exception):
    """No dead letter with this id (it may have been retried already)."""


class InvalidContact(Exception):
    """A LINE id that is not a LINE user, group or room id."""
