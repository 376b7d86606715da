"""What every intake form has, on either track: files kept between tries and a honeypot.

Residents' case forms (``cases.forms``) and integrity report forms (``integrity.forms``) both
build on ``IntakeForm``; neither track's rules live here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from app.input import BadInput, parse_int

# What ``secrets.token_urlsafe`` makes; anything else posted back is not a token we issued.
STAGING_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class IntakeForm(FlaskForm):
    """A form whose accepted files wait under a staging token until the whole form is right."""

    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = StringField(_l("เว็บไซต์ (เว้นว่างไว้)"))
    staging_token = HiddenField()

    def keep_staging_token(self, new_token: Callable[[], str]) -> str:
        """The token posted back, or one from ``new_token`` if it is missing or malformed.

        The form carries it to the next try, so files already accepted need not be chosen again.
        """
        token = self.staging_token.data
        if not token or not STAGING_TOKEN_PATTERN.match(token):
            token = new_token()
        self.staging_token.data = token
        return token

    def show_errors(self, field_errors: dict[str, object]) -> None:
        """Put the service's messages beside their fields."""
        for name, message in field_errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, message]


class VersionedForm(FlaskForm):
    """A change to a record carries the version the officer saw (optimistic locking: a change
    from a page that is no longer current is refused, ``app.workflow.change_transaction``)."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        """The version posted with the form (``None`` if absent); a garbled one is refused.

        A garbled version must not mean "no check": the change would then go through unguarded.
        """
        if not self.version.data:
            return None
        version = parse_int(self.version.data, 0)
        if version is None:
            raise BadInput()
        return version
