"""The suggestion / question page: a thin adapter over the intake service."""

from __future__ import annotations

from flask import Blueprint

from cases.intake_page import register_intake_page
from feedback.forms import FeedbackForm

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
register_intake_page(bp, FeedbackForm, "feedback/new.html")
