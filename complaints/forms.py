"""The complaint / grievance form."""

from __future__ import annotations

from cases.forms import CaseForm
from cases.models import COMPLAINT_KINDS


class ComplaintForm(CaseForm):
    """A complaint about something done wrong, or a grievance asking for help."""

    KINDS = COMPLAINT_KINDS
