"""Turning an outbox row into the Thai text a person reads.

Texts live in ``templates/notifications/<template>.txt`` (LINE and email body) and
``<template>.subject.txt`` (email subject). Rendering happens at delivery, in the worker, so the
status link is built from the case then and never stored in the outbox.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from jinja2 import TemplateError
from werkzeug.routing import BuildError

from app.links import public_url
from app.organizations.services import organization_profile
from cases.labels import KIND_LABELS, STATUS_LABELS, label
from cases.models import Case
from cases.services import status_url
from notifications.errors import DeliveryError
from notifications.models import DeliveryChannel, Notification
from notifications.senders import OutgoingMessage

# ``label`` takes plain string keys; these are the same lazy Thai labels.
_STATUS_LABELS: dict[str, object] = {str(status): text for status, text in STATUS_LABELS.items()}
_KIND_LABELS: dict[str, object] = {str(kind): text for kind, text in KIND_LABELS.items()}


def staff_url(endpoint: str, **values: Any) -> str:
    """An absolute link to a staff page (the staff home if that page is not part of this app)."""
    try:
        return public_url(endpoint, **values)
    except BuildError:
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/staff/"


def message_context(row: Notification, case: Case | None) -> dict[str, Any]:
    """What a template can use: the row's context, the organization, the case's link and status."""
    context: dict[str, Any] = {
        **row.context,
        "org_name": organization_profile().name,
        "staff_home_url": staff_url("auth.home"),
        "staff_queue_url": staff_url("review.queue"),
    }
    if case is not None:
        context["code"] = case.code
        context["status_url"] = status_url(case)
        context["staff_case_url"] = staff_url("review.case_page", case_id=case.id)
    if "status" in context:
        context["status_label"] = label(_STATUS_LABELS, context["status"])
    if "kind" in context:
        context["kind_label"] = label(_KIND_LABELS, context["kind"])
    return context


def render_message(row: Notification, case: Case | None, recipient: str) -> OutgoingMessage:
    """Render ``row`` for its channel, to ``recipient`` (``notifications.recipients``).

    Raises ``DeliveryError(permanent=True)`` if it cannot be rendered.
    """
    if row.case_id is not None and case is None:
        raise DeliveryError("the case no longer exists", permanent=True)
    context = message_context(row, case)
    try:
        text = render_template(f"notifications/{row.template}.txt", **context).strip()
        subject = ""
        if row.channel == DeliveryChannel.EMAIL:
            subject = render_template(f"notifications/{row.template}.subject.txt", **context)
    except TemplateError as exc:
        raise DeliveryError(f"template {row.template!r} failed: {exc}", permanent=True) from exc
    return OutgoingMessage(
        id=row.id,
        channel=row.channel,
        recipient=recipient,
        subject=" ".join(subject.split()),
        text=text,
        retry_key=row.retry_key,
    )
