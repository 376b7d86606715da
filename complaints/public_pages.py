"""The complaint page: a thin adapter over the intake service."""

from __future__ import annotations

from flask import Blueprint

from cases.intake_page import register_intake_page
from complaints.forms import ComplaintForm

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
register_intake_page(bp, ComplaintForm, "complaints/new.html")
