"""The composition root: the capabilities this service runs, plugged into the kernel's factory.

The kernel (``app``) imports no capability; this module is the one place that names them all, in
the order their blueprints, commands and hooks are registered. A new capability (a channel, a
kind of case) is a package with a ``register(app)`` function, added here.
"""

from __future__ import annotations

from flask import Flask

import cases
import complaints
import feedback
import integrity
import line_bot
import notifications
import published
import reports
import review
from app import Capability
from app import create_app as create_kernel_app
from app.config import Config

CAPABILITIES: tuple[Capability, ...] = (
    cases.register,
    complaints.register,
    feedback.register,
    review.register,
    notifications.register,
    integrity.register,
    line_bot.register,
    reports.register,
    published.register,
)


def create_app(config: Config | None = None) -> Flask:
    """The whole service: the kernel with every capability (``gunicorn wsgi:app``, the tests)."""
    return create_kernel_app(config, CAPABILITIES)
