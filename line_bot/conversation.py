"""The conversation: what the bot answers to each input, given where the resident is.

A resident files a case step by step (privacy notice once, kind, category, details, photos,
place, whether it may be published, confirm) and may cancel, ask for their cases, type a tracking
code or ask about corruption at any point. The state lives in ``LineConversation`` rows; this
module changes the row and returns the messages to send, and ``services`` sends them after the
state is committed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from limits import parse_many
from linebot.v3.messaging import Message
from sqlalchemy import select

from app import uploads
from app.clients import client_key
from app.extensions import db, limiter
from app.i18n import format_date, label
from app.links import public_url
from app.organizations.line_accounts import OWN, PLATFORM
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import organization_profile, platform_profile, profile_of
from app.statuses import STATUS_LABELS
from app.tracking import CODE_PATTERN, normalise_code
from app.uploads import refusal_message
from cases.errors import CaseNotFound, IntakeError
from cases.models import Case, CaseKind, Channel
from cases.queries import active_categories, cases_of_line_user, category_name, line_users_case
from cases.services import (
    DETAILS_MAX,
    DETAILS_MIN,
    SUBJECT_MAX,
    CaseSubmission,
    new_staging_token,
    stage_attachment,
    staged_attachments,
    submit_case,
)
from cases.status_access import status_url
from cases.subscribers import (
    SubscriberDetails,
    open_case_by_code,
    public_case,
    suggest_duplicates,
    support_case,
)
from line_bot import messages as m
from line_bot.areas import (
    active_bodies,
    choices,
    find_subdistricts,
    narrow,
    place_names,
    serving_body,
)
from line_bot.channel import LineApi, LineUnavailable
from line_bot.events import Incoming
from line_bot.links import integrity_channel_url
from line_bot.models import LineConversation, Step

CONVERSATION_LIFETIME = timedelta(minutes=30)
MY_CASES_SHOWN = 5
SUBJECT_FROM_DETAILS = 80
# Anything that looks like a tracking code inside what the resident typed.
CODE_IN_TEXT = re.compile(r"\b[A-Za-z]\s*\d{2}\s*[-\u2010-\u2015]?\s*\d{6,}\b")


@dataclass
class Outcome:
    """What to send, and the case filed by this input (its receipt is the reply)."""

    messages: list[Message] = field(default_factory=list)
    case_id: int | None = None
    # The body the answer was given in, when not the event's (the platform's account).
    organization_id: int | None = None


def load_conversation(user_id: str, line_account: str = OWN) -> LineConversation:
    """The resident's conversation with ``line_account``, locked for this transaction (created
    when new)."""
    row = db.session.scalar(
        select(LineConversation)
        .where(
            LineConversation.line_user_id == user_id,
            LineConversation.line_account == line_account,
        )
        .with_for_update()
    )
    if row is None:
        row = LineConversation(
            line_user_id=user_id, line_account=line_account, step=Step.IDLE, draft={}
        )
        db.session.add(row)
    return row


def subject_from(details: str) -> str:
    """A case subject from the resident's description: its first line, shortened."""
    first_line = details.strip().splitlines()[0].strip() if details.strip() else ""
    subject = first_line if len(first_line) >= 3 else " ".join(details.split())
    limit = min(SUBJECT_FROM_DETAILS, SUBJECT_MAX)
    return subject if len(subject) <= limit else subject[: limit - 1] + "…"


class Conversation:
    """Handles one input for one resident; changes ``row`` and returns the answer.

    On the platform's account the resident's row in the event's organization is where they
    choose a body (by ตำบล: ``Step.AREA``) and see their cases across bodies; once a body is
    chosen (``draft["body"]``), the rest goes to their conversation in that body
    (``in_body``), which files the case there.
    """

    def __init__(
        self, row: LineConversation, api: LineApi, now: datetime, in_body: bool = False
    ) -> None:
        self.row = row
        self.api = api
        self.now = now
        self.draft: dict[str, Any] = dict(row.draft or {})
        self.chooses_body = row.line_account == PLATFORM and not in_body

    # ----- entry point -------------------------------------------------------------------
    def handle(self, incoming: Incoming) -> Outcome:
        """The answer to ``incoming``; the row is updated (the caller commits)."""
        body_id = self._body_for(incoming)
        if body_id is not None:
            return self._in_body(body_id, lambda conversation: conversation.handle(incoming))
        if incoming.kind in ("follow", "unfollow"):
            self._reset()
            if incoming.kind == "unfollow":
                return self._save(Outcome())
            org = (platform_profile() if self.chooses_body else organization_profile()).name
            return self._save(self._say(m.format_text(m.WELCOME, org=org), m.main_menu()))
        if incoming.action == m.CANCEL:
            return self._save(self._cancel())
        if self._has_expired():
            self.draft["resume_step"] = self.row.step
            self.row.step = Step.EXPIRED
            return self._save(self._say(m.EXPIRED, m.expired_menu()))
        outcome = self._global(incoming) or self._by_step(incoming)
        return self._save(outcome)

    def _global(self, incoming: Incoming) -> Outcome | None:
        """Inputs that mean the same at every step."""
        if incoming.action == m.MY_CASES:
            return self._my_cases()
        if incoming.action == m.INTEGRITY:
            return self._integrity()
        if incoming.action == m.HELP:
            return self._say(m.HELP_TEXT, m.main_menu())
        if incoming.action == m.FILE and self.row.step in (Step.IDLE, Step.EXPIRED):
            return self._start()
        return None

    def _by_step(self, incoming: Incoming) -> Outcome:
        return _step(self.row.step).handle(self, incoming)

    def begin(self) -> Outcome:
        """Start filing a case (the platform's account, once the resident's body is chosen)."""
        return self._save(self._start())

    # ----- the platform's account: choosing the body ---------------------------------------
    def _body_for(self, incoming: Incoming) -> int | None:
        """The chosen body that answers ``incoming``; None when this row answers it."""
        body_id = self.draft.get("body")
        if not self.chooses_body or body_id is None or self.row.step != Step.IDLE:
            return None
        if incoming.kind in ("follow", "unfollow") or incoming.action in (m.FILE, m.MY_CASES):
            return None  # a new case asks the ตำบล again; "my cases" spans every body
        return int(body_id)

    def _in_body(self, body_id: int, act: Callable[[Conversation], Outcome]) -> Outcome:
        """``act`` on the resident's conversation in body ``body_id``, in that body's scope.

        This row is written first: inside the body's scope (and its row-level security) a
        flush of a row of the event's organization would find nothing to update.
        """
        self._save(Outcome())
        db.session.flush()
        with organization_scope(body_id):
            row = load_conversation(self.row.line_user_id, self.row.line_account)
            outcome = act(Conversation(row, self.api, self.now, in_body=True))
            db.session.flush()
        outcome.organization_id = body_id
        return outcome

    def _ask_area(self) -> Outcome:
        self.draft.pop("area_candidates", None)
        return self._say(m.ASK_AREA, [m.cancel_item()])

    def _on_area(self, incoming: Incoming) -> Outcome:
        bodies = active_bodies()
        candidates = tuple(self.draft.get("area_candidates", ()))
        said = incoming.value if incoming.action == m.AREA else incoming.text
        if candidates and said:
            narrowed = narrow(candidates, said)
            if narrowed:
                return self._narrowed(narrowed, bodies)
        if incoming.kind != "text" or incoming.action or not incoming.text.strip():
            return self._say(m.ASK_AREA, [m.cancel_item()])
        found = find_subdistricts(incoming.text, bodies)
        name = incoming.text.strip()[:50]
        if not found.known:
            return self._say(m.format_text(m.AREA_UNKNOWN, name=name), [m.cancel_item()])
        if not found.candidates:
            return self._say(m.format_text(m.AREA_NOT_SERVED, name=name), [m.cancel_item()])
        return self._narrowed(found.candidates, bodies)

    def _narrowed(self, candidates: tuple[str, ...], bodies: list[Organization]) -> Outcome:
        """Choose the body of the one ตำบล left, or ask for its จังหวัด / อำเภอ."""
        if len(candidates) > 1:
            self.draft["area_candidates"] = list(candidates)
            level, places = choices(candidates)
            if level == "province":
                return self._say(m.AREA_WHICH_PROVINCE, m.area_menu(places, m.L_PROVINCE))
            return self._say(m.AREA_WHICH_DISTRICT, m.area_menu(places, m.L_DISTRICT))
        body = serving_body(candidates[0], bodies)
        assert body is not None  # candidates are served
        self.draft = {"body": body.id}
        self.row.step = Step.IDLE
        place = m.format_text(m.PLACE, **place_names(candidates[0]))
        chosen = m.format_text(m.AREA_CHOSEN, place=place, org=profile_of(body).name)
        started = self._in_body(body.id, lambda conversation: conversation.begin())
        return replace(started, messages=[m.text(chosen), *started.messages])

    # ----- helpers -------------------------------------------------------------------------
    @staticmethod
    def _say(text: object, items: list[Any] | None = None) -> Outcome:
        return Outcome([m.text(text, items or [])])

    def _save(self, outcome: Outcome) -> Outcome:
        self.row.draft = dict(self.draft)
        in_progress = self.row.step not in (Step.IDLE, Step.EXPIRED)
        self.row.expires_at = self.now + CONVERSATION_LIFETIME if in_progress else None
        return outcome

    def _has_expired(self) -> bool:
        expires_at = self.row.expires_at
        return (
            self.row.step not in (Step.IDLE, Step.EXPIRED)
            and expires_at is not None
            and expires_at <= self.now
        )

    def _reset(self) -> None:
        self.row.step = Step.IDLE
        self.draft = {}

    def _go(self, step: Step) -> Outcome:
        self.row.step = step
        return self._prompt(step)

    def _prompt(self, step: Step) -> Outcome:
        """The question asked at ``step`` (also used to repeat it)."""
        return _step(step).prompt(self)

    # ----- the questions (see STEPS) -------------------------------------------------------
    def _ask_privacy(self) -> Outcome:
        profile = organization_profile()
        notice = m.format_text(
            m.PRIVACY_NOTICE, org=profile.name, years=profile.retention_days // 365
        )
        return self._say(notice, m.privacy_menu())

    def _ask_category(self) -> Outcome:
        return self._say(m.ASK_CATEGORY, m.category_menu(active_categories()))

    def _ask_photos(self) -> Outcome:
        limit = current_app.config["MAX_ATTACHMENTS"]
        return self._say(m.format_text(m.ASK_PHOTOS, max=limit), m.photo_menu())

    def _ask_confirm(self) -> Outcome:
        return self._say(self._summary(), m.confirm_menu())

    # ----- global answers --------------------------------------------------------------
    def _cancel(self) -> Outcome:
        if self.row.step in (Step.IDLE,):
            return self._say(m.NOTHING_TO_CANCEL, m.main_menu())
        self._reset()
        return self._say(m.CANCELLED, m.main_menu())

    def _start(self) -> Outcome:
        self.draft = {}
        if self.chooses_body:
            return self._go(Step.AREA)
        if self.row.privacy_acknowledged_at is None:
            return self._go(Step.PRIVACY)
        return self._go(Step.KIND)

    def _integrity(self) -> Outcome:
        """Explain the separate channel; nothing the resident said about it is kept here."""
        self._reset()
        text = m.format_text(m.INTEGRITY_CHANNEL, url=integrity_channel_url())
        return self._say(text, m.main_menu())

    def _my_cases(self) -> Outcome:
        """The resident's newest cases: in this body, or in every body (the platform's account,
        each case named with its body and linked in its body's pages)."""
        everywhere = platform_scope() if self.chooses_body else nullcontext()
        with everywhere:
            cases = cases_of_line_user(self.row.line_user_id, self.row.line_account, MY_CASES_SHOWN)
        if not cases:
            return self._say(m.NO_CASES, m.main_menu())
        lines = [m.format_text(m.MY_CASES_HEADER, count=len(cases))]
        for case in cases:
            with organization_scope(case.organization_id):
                lines.append(
                    m.format_text(
                        m.MY_CASES_BODY_LINE if self.chooses_body else m.MY_CASES_LINE,
                        code=case.code,
                        subject=case.subject,
                        org=organization_profile().name,
                        status=label(STATUS_LABELS, case.status),
                        url=status_url(case),
                    )
                )
        return self._say("\n".join(lines), m.main_menu())

    def _case_status(self, raw_code: str) -> Outcome:
        code = normalise_code(raw_code)
        case = line_users_case(self.row.line_user_id, self.row.line_account, code)
        if case is None:
            text = m.format_text(m.CASE_NOT_YOURS, code=code, url=public_url("cases.track"))
            return self._say(text, m.main_menu())
        text = m.format_text(
            m.CASE_STATUS,
            code=case.code,
            subject=case.subject,
            status=label(STATUS_LABELS, case.status),
            url=status_url(case),
        )
        return self._say(text, m.main_menu())

    # ----- steps ---------------------------------------------------------------------------
    def _on_idle(self, incoming: Incoming) -> Outcome:
        if incoming.kind == "text":
            if _mentions_integrity(incoming.text):
                return self._integrity()
            found = CODE_IN_TEXT.search(incoming.text)
            if found and CODE_PATTERN.match(normalise_code(found.group(0))):
                return self._case_status(found.group(0))
        if incoming.kind == "image":
            return self._say(m.NOT_IN_A_REPORT_PHOTO, m.main_menu())
        return self._say(m.UNEXPECTED, m.main_menu())

    def _on_privacy(self, incoming: Incoming) -> Outcome:
        if incoming.action == m.PRIVACY_OK:
            self.row.privacy_acknowledged_at = self.now
            return self._go(Step.KIND)
        return self._prompt(Step.PRIVACY)

    def _on_kind(self, incoming: Incoming) -> Outcome:
        typed = {str(text): kind for kind, text in m.KIND_CHOICES.items()}.get(incoming.text)
        value = incoming.value if incoming.action == m.KIND else typed
        if value in CaseKind.__members__.values():
            self.draft["kind"] = value
            return self._go(Step.CATEGORY)
        return self._prompt(Step.KIND)

    def _on_category(self, incoming: Incoming) -> Outcome:
        categories = active_categories()
        chosen = None
        if incoming.action == m.CATEGORY and incoming.value.isdigit():
            chosen = next((cid for cid, _ in categories if cid == int(incoming.value)), None)
        elif incoming.kind == "text":
            chosen = next((cid for cid, name in categories if name == incoming.text), None)
        if chosen is None:
            return self._prompt(Step.CATEGORY)
        self.draft["category_id"] = chosen
        return self._go(Step.DETAILS)

    def _on_details(self, incoming: Incoming) -> Outcome:
        if incoming.kind != "text" or incoming.action:
            return self._prompt(Step.DETAILS)
        if _mentions_integrity(incoming.text):
            self.draft["pending_details"] = incoming.text
            return self._go(Step.INTEGRITY_CHECK)
        return self._take_details(incoming.text)

    def _take_details(self, details: str) -> Outcome:
        if len(details) < DETAILS_MIN:
            return self._say(m.format_text(m.DETAILS_TOO_SHORT, min=DETAILS_MIN), [m.cancel_item()])
        if len(details) > DETAILS_MAX:
            return self._say(m.format_text(m.DETAILS_TOO_LONG, max=DETAILS_MAX), [m.cancel_item()])
        self.draft["details"] = details
        self.draft.setdefault("staging_token", new_staging_token())
        return self._go(Step.PHOTOS)

    def _on_integrity_check(self, incoming: Incoming) -> Outcome:
        pending = self.draft.pop("pending_details", "")
        if incoming.action == m.YES:
            return self._integrity()
        if incoming.action == m.NO and pending:
            return self._take_details(pending)
        self.draft["pending_details"] = pending
        return self._prompt(Step.INTEGRITY_CHECK)

    def _on_photos(self, incoming: Incoming) -> Outcome:
        if incoming.kind == "image":
            return self._take_photo(incoming.message_id)
        if incoming.kind == "location":
            return self._on_location(incoming)
        if incoming.action in (m.NEXT, m.SKIP):
            return self._go(Step.LOCATION)
        return self._prompt(Step.PHOTOS)

    def _take_photo(self, message_id: str) -> Outcome:
        config = current_app.config
        self.api.show_loading(self.row.line_user_id)
        try:
            data = self.api.content(message_id)
        except LineUnavailable:
            return self._say(m.PHOTO_UNAVAILABLE, m.photo_menu())
        token = self.draft.setdefault("staging_token", new_staging_token())
        try:
            stage_attachment(token, f"line-{message_id}.jpg", data, keep_metadata=False)
        except uploads.UploadRefused as refused:
            if refused.reason == "too_large":
                text = m.format_text(m.PHOTO_TOO_LARGE, mb=config["MAX_UPLOAD_MB"])
            else:
                text = m.refusal_text(refusal_message(refused))
            return self._say(text, m.photo_menu())
        count = len(staged_attachments(token))
        return self._say(m.format_text(m.PHOTO_RECEIVED, count=count), m.photo_menu())

    def _on_location(self, incoming: Incoming) -> Outcome:
        if incoming.kind == "location":
            self.draft.update(
                location_text=incoming.address[:300],
                latitude=incoming.latitude,
                longitude=incoming.longitude,
            )
            return self._after_place()
        if incoming.action == m.SKIP or incoming.action == m.NEXT:
            return self._after_place()
        if incoming.kind == "image":
            return self._take_photo(incoming.message_id)
        if incoming.kind == "text" and not incoming.action:
            self.draft.update(location_text=incoming.text[:300], latitude=None, longitude=None)
            return self._after_place()
        return self._prompt(Step.LOCATION)

    def _on_publication(self, incoming: Incoming) -> Outcome:
        typed = {str(m.L_PUBLIC): m.YES, str(m.L_NOT_PUBLIC): m.NO}.get(incoming.text)
        answer = incoming.value if incoming.action == m.PUBLICATION else typed
        if answer not in (m.YES, m.NO):
            return self._prompt(Step.PUBLICATION)
        self.draft["publication_allowed"] = answer == m.YES
        return self._go(Step.CONFIRM)

    def _after_place(self) -> Outcome:
        """Open cases of the same problem first, if there are any; otherwise the summary."""
        found = suggest_duplicates(self._submission())
        if not found:
            return self._go(Step.PUBLICATION)
        self.draft["suggested"] = [item.code for item in found]
        return self._go(Step.DUPLICATES)

    def _ask_duplicates(self) -> Outcome:
        codes = self.draft.get("suggested", [])
        lines = [str(m.DUPLICATES_HEADER)]
        for number, code in enumerate(codes, 1):
            try:
                item = public_case(open_case_by_code(code))
            except CaseNotFound:
                continue  # closed since it was suggested; its button says it is gone
            lines.append(
                m.format_text(
                    m.DUPLICATE_LINE,
                    number=number,
                    category=f"{item.title} · {item.category}" if item.title else item.category,
                    place=item.place or m.NO_PLACE,
                    date=format_date(item.received_at),
                    status=label(STATUS_LABELS, item.status),
                )
            )
        return self._say("\n".join(lines), m.duplicates_menu(codes))

    def _on_duplicates(self, incoming: Incoming) -> Outcome:
        suggested = self.draft.get("suggested", [])
        if incoming.action == m.NEXT:
            return self._go(Step.PUBLICATION)
        if incoming.action != m.SUPPORT or incoming.value not in suggested:
            return self._prompt(Step.DUPLICATES)
        supporter = SubscriberDetails(
            line_user_id=self.row.line_user_id,
            privacy_acknowledged=self.row.privacy_acknowledged_at is not None,
        )
        try:
            support_case(incoming.value, supporter)
        except CaseNotFound:
            self.row.step = Step.PUBLICATION
            return Outcome([m.text(m.SUPPORT_GONE), *self._prompt(Step.PUBLICATION).messages])
        self._reset()
        return self._say(m.format_text(m.SUPPORTED, code=incoming.value), m.main_menu())

    def _summary(self) -> str:
        details = self.draft.get("details", "")
        return m.format_text(
            m.SUMMARY,
            kind=m.KIND_CHOICES.get(self.draft.get("kind", ""), ""),
            category=category_name(self.draft.get("category_id")),
            details=details if len(details) <= 300 else details[:299] + "…",
            photos=len(staged_attachments(self.draft.get("staging_token"))),
            place=self.draft.get("location_text") or m.NO_PLACE,
            public=m.L_PUBLIC if self.draft.get("publication_allowed") else m.L_NOT_PUBLIC,
        )

    def _on_confirm(self, incoming: Incoming) -> Outcome:
        if incoming.action != m.CONFIRM:
            return self._prompt(Step.CONFIRM)
        if not _within_intake_limit(self.row, count=False):
            self._reset()
            return self._say(m.TOO_MANY_CASES, m.main_menu())
        self.api.show_loading(self.row.line_user_id)
        try:
            submitted = submit_case(self._submission())
        except IntakeError as refused:
            reasons = " ".join(str(reason) for reason in refused.field_errors.values())
            return self._say(m.format_text(m.SUBMIT_FAILED, reasons=reasons), m.confirm_menu())
        _within_intake_limit(self.row, count=True)
        case = db.session.get(Case, submitted.case_id)
        assert case is not None
        self._reset()
        text = m.format_text(
            m.SUBMITTED,
            code=submitted.code,
            due=format_date(case.acknowledge_due),
            url=status_url(case),
        )
        return Outcome([m.text(text, m.main_menu())], case_id=submitted.case_id)

    def _submission(self) -> CaseSubmission:
        draft = self.draft
        return CaseSubmission(
            kind=draft.get("kind", ""),
            channel=Channel.LINE,
            category_id=draft.get("category_id"),
            subject=subject_from(draft.get("details", "")),
            details=draft.get("details", ""),
            location_text=draft.get("location_text", ""),
            latitude=draft.get("latitude"),
            longitude=draft.get("longitude"),
            line_user_id=self.row.line_user_id,
            line_account=self.row.line_account,
            privacy_acknowledged=self.row.privacy_acknowledged_at is not None,
            publication_allowed=bool(draft.get("publication_allowed")),
            received_at=self.now,
            staging_token=draft.get("staging_token"),
        )

    def _on_expired(self, incoming: Incoming) -> Outcome:
        if incoming.action == m.RESUME:
            step = Step(self.draft.pop("resume_step", Step.KIND))
            self.row.step = step
            resumed = self._prompt(step)
            return Outcome([m.text(m.RESUMED), *resumed.messages])
        if incoming.action in (m.RESTART, m.FILE):
            return self._start()
        return self._prompt(Step.EXPIRED)


def _asking(text: object, menu: Callable[[], list[Any]]) -> Callable[[Conversation], Outcome]:
    """A question that is only a text and a menu."""
    return lambda conversation: conversation._say(text, menu())


@dataclass(frozen=True)
class StepSpec:
    """One step of filing a case: the question asked there, and the handler of the answer."""

    prompt: Callable[[Conversation], Outcome]
    handle: Callable[[Conversation, Incoming], Outcome]


# Every step once: what is asked there (also to repeat it) and what handles the answer.
STEPS: dict[Step, StepSpec] = {
    Step.IDLE: StepSpec(_asking(m.UNEXPECTED, m.main_menu), Conversation._on_idle),
    Step.AREA: StepSpec(Conversation._ask_area, Conversation._on_area),
    Step.PRIVACY: StepSpec(Conversation._ask_privacy, Conversation._on_privacy),
    Step.KIND: StepSpec(_asking(m.ASK_KIND, m.kind_menu), Conversation._on_kind),
    Step.CATEGORY: StepSpec(Conversation._ask_category, Conversation._on_category),
    Step.DETAILS: StepSpec(
        _asking(m.ASK_DETAILS, lambda: [m.cancel_item()]), Conversation._on_details
    ),
    Step.INTEGRITY_CHECK: StepSpec(
        _asking(m.INTEGRITY_CHECK, m.integrity_check_menu), Conversation._on_integrity_check
    ),
    Step.PHOTOS: StepSpec(Conversation._ask_photos, Conversation._on_photos),
    Step.LOCATION: StepSpec(_asking(m.ASK_LOCATION, m.location_menu), Conversation._on_location),
    Step.PUBLICATION: StepSpec(
        _asking(m.ASK_PUBLICATION, m.publication_menu), Conversation._on_publication
    ),
    Step.DUPLICATES: StepSpec(Conversation._ask_duplicates, Conversation._on_duplicates),
    Step.CONFIRM: StepSpec(Conversation._ask_confirm, Conversation._on_confirm),
    Step.EXPIRED: StepSpec(_asking(m.EXPIRED, m.expired_menu), Conversation._on_expired),
}


def _step(step: str) -> StepSpec:
    """The spec of ``step``; a step this version does not know is treated as idle."""
    try:
        return STEPS[Step(step)]
    except (ValueError, KeyError):
        return STEPS[Step.IDLE]


def _within_intake_limit(row: LineConversation, count: bool) -> bool:
    """Whether this resident may file another case through LINE now (``INTAKE_RATE_LIMIT``, as
    the web form, counted per body, account and LINE user); ``count`` spends one filing.

    The key is a keyed hash (``app.clients``): the limiter's storage never holds a LINE user id.
    """
    if not limiter.enabled:
        return True
    name = f"{row.organization_id}/{row.line_account}/{row.line_user_id}"
    key = client_key("line-intake", name)
    strategy = limiter.limiter
    limits = parse_many(current_app.config["INTAKE_RATE_LIMIT"])
    if count:
        return all([strategy.hit(item, "line-intake", key) for item in limits])
    return all(strategy.test(item, "line-intake", key) for item in limits)


def _mentions_integrity(text: str) -> bool:
    return any(word in text for word in m.INTEGRITY_WORDS)
