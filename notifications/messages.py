"""Turning an outbox row into the Thai text a person reads.

Texts live in ``templates/notifications/<template>.txt`` (LINE and email body) and
``<template>.subject.txt`` (email subject). Rendering happens at delivery, in the worker, so the
status link is built from the case then (by the general track, ``app.outbox.register_subject``)
and never stored in the outbox.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from jinja2 import TemplateError

from app import outbox
from app.i18n import label
from app.links import staff_url
from app.organizations.services import organization_profile
from app.outbox import DeliveryChannel, Notification
from app.statuses import STATUS_LABELS
from notifications.errors import DeliveryError
from notifications.senders import OutgoingMessage


def message_context(row: Notification, about: dict[str, Any] | None) -> dict[str, Any]:
    """What a template can use: the row's context, the organization, what its subject shows
    (``app.outbox.register_subject``: a case's code and links) and the labels of code values."""
    context: dict[str, Any] = {
        **row.context,
        "org_name": organization_profile().name,
        "staff_home_url": staff_url("auth.home"),
        "staff_queue_url": staff_url("review.queue"),
        **(about or {}),
    }
    if "status" in context:
        context["status_label"] = label(STATUS_LABELS, context["status"])
    for key, labels in outbox.registered_labels().items():
        if key in context:
            context[f"{key}_label"] = label(labels, context[key])
    return context


def render_message(
    row: Notification, about: dict[str, Any] | None, recipient: str
) -> OutgoingMessage:
    """Render ``row`` for its channel, to ``recipient`` (``notifications.recipients``).

    ``about`` is what the row's case shows (None: the row has no case, or it is gone). Raises
    ``DeliveryError(permanent=True)`` if it cannot be rendered.
    """
    if row.case_id is not None and about is None:
        raise DeliveryError("the case no longer exists", permanent=True)
    context = message_context(row, about)
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
        sender_name=organization_profile().mail_sender_name,
    )
