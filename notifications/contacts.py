"""A staff member's own notification settings: email at their account's address, LINE.

Staff are told by email at their account's address unless they turned it off, and on LINE when
they registered a LINE user or group id (``app.outbox.StaffContact``); the capabilities address
them with ``app.outbox.staff_recipients``.
"""

from __future__ import annotations

import re

from app import audit
from app.auth.models import User
from app.database import unit_of_work
from app.extensions import db
from app.outbox import StaffContact
from notifications.errors import InvalidContact

# LINE ids are "U" (user), "C" (group chat) or "R" (multi-person chat) and 32 hex digits.
LINE_RECIPIENT = re.compile(r"^[UCR][0-9a-f]{32}$")


def contact_of(user: User) -> StaffContact:
    """``user``'s notification settings (the defaults if never saved)."""
    return db.session.get(StaffContact, user.id) or StaffContact(
        user_id=user.id, by_email=True, line_recipient=None
    )


def save_contact(user: User, by_email: bool, line_recipient: str) -> StaffContact:
    """Store how ``user`` wants to be told; ``InvalidContact`` if the LINE id is malformed."""
    line_recipient = line_recipient.strip()
    if line_recipient and not LINE_RECIPIENT.match(line_recipient):
        raise InvalidContact()
    with unit_of_work(db.session) as session:
        contact = session.get(StaffContact, user.id) or StaffContact(user_id=user.id)
        contact.by_email = by_email
        contact.line_recipient = line_recipient or None
        session.add(contact)
        audit.record("notification_contact_changed", target_type="user", target_id=user.id)
    return contact
