"""The suggestion / question form."""

from __future__ import annotations

from cases.forms import CaseForm
from cases.models import FEEDBACK_KINDS


class FeedbackForm(CaseForm):
    """An idea or opinion about the organization's work, or a question to answer."""

    KINDS = FEEDBACK_KINDS
