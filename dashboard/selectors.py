"""Each role's home page: its worklist, as counts that link to filtered lists.

The numbers come from the owning apps' count selectors (each a few queries, whatever the number
of rows); this module only asks the ones the user's capabilities allow and puts the answers in
sections. A section appears for each kind of work the user can do, so a clinician who
supervises sees both "My sessions and notes" and "Supervision"; a technician sees no co-sign
work. Nothing here names a role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.selectors import audit_verification_summary, audit_worklist_counts
from authorizations.selectors import authorizations_running_out_count
from claims.domain.findings import finding_label
from claims.domain.scrubber.common import TIMELY_FILING_WARNING_DAYS
from claims.selectors import charge_worklist_counts
from claims.selectors.claim_screens import claim_counts
from claims.selectors.claims import FILING_ALERT_DAYS, claims_filing_deadline_counts
from clinical_notes import screen_selectors
from clinical_notes import selectors as note_selectors
from clinical_notes.domain.timeliness import late_label
from clinical_notes.domain.transitions import NoteState
from core.formatting import date_label
from eligibility.selectors import eligibility_alert_count, session_problem_count
from ledger.billing_selectors import patient_balance_counts
from payer_rules.selectors import payers_without_rules_count
from payers.selectors import insurance_payer_ids, providers_not_enrolled_count
from practice.selectors import billing_provider_ids, practice_setup_counts, practice_zone
from scheduling.selectors import provider_day_counts
from treatment_plans.selectors import plan_reviews_due

PLAN_REVIEW_WINDOW_DAYS = 14
COVERAGE_CHANGE_DAYS = 30
RECENT_DAYS = 7
RETURNED_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Tile:
    """One count on the home page: "7 · Notes to write", linking to the filtered list."""

    key: str  # a stable id for tests and the page's anchors
    label: str
    count: int | None  # None: a status, not a number (the audit chain)
    url: str
    detail: str = ""  # one line under the count, in words ("oldest 12 days late")
    tone: str = ""  # "" / "warn" / "bad" / "ok": the badge colour when there is work


@dataclass(frozen=True, slots=True)
class Entry:
    """A line under a section's tiles: a returned note with its comment, a review due."""

    title: str
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    tiles: list[Tile]
    entries_title: str = ""
    entries: list[Entry] = field(default_factory=list)


def _url(name: str, **query: object) -> str:
    base = reverse(name)
    params = {k: str(v) for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def _tone(count: int, tone: str = "warn") -> str:
    return tone if count else ""


def _clinical_sections(access: PracticeAccess, today: dt.date, now: dt.datetime) -> list[Section]:
    if access.provider_id is None:
        return []
    due_days = settings.NOTE_DUE_DAYS
    notes = note_selectors.note_worklist_counts(
        access=access, today=today, overdue_days=settings.COSIGN_OVERDUE_DAYS, due_days=due_days
    )
    day = provider_day_counts(access=access, provider_id=access.provider_id, now=now)
    to_write = day.undocumented + notes.drafts
    oldest = min(
        (d for d in (day.oldest_undocumented_on, notes.oldest_draft_on) if d is not None), default=None
    )
    lateness = late_label(oldest, today, due_days) if oldest is not None else ""
    returned_entries = _returned_entries(access) if notes.returned else []
    sections = [
        Section(
            key="clinical",
            title="My sessions and notes",
            tiles=[
                Tile(
                    "sessions-today", "Sessions today", day.sessions_today, reverse("clinical_notes:my_day")
                ),
                Tile(
                    "notes-to-write",
                    "Notes to write",
                    to_write,
                    reverse("clinical_notes:to_write"),
                    detail=f"oldest: {lateness}" if to_write and lateness else "",
                    tone=_tone(to_write, "bad" if lateness.endswith("late") else "warn"),
                ),
                Tile(
                    "notes-returned",
                    "Returned to you",
                    notes.returned,
                    reverse("clinical_notes:returned"),
                    detail="with the supervisor's comment" if notes.returned else "",
                    tone=_tone(notes.returned, "bad"),
                ),
            ],
            entries_title="Returned with a comment" if returned_entries else "",
            entries=returned_entries,
        )
    ]
    if notes.supervises and access.can(Capability.NOTE_COSIGN):
        sections.append(_supervision_section(access, notes, today, due_days))
    return sections


def _returned_entries(access: PracticeAccess) -> list[Entry]:
    listed = note_selectors.note_list(
        access=access, mine=True, status=NoteState.RETURNED, limit=RETURNED_SHOWN
    )
    comments = screen_selectors.return_comments(note_ids=[n.pk for n in listed.notes])
    entries = []
    for note in listed.notes:
        comment = comments.get(note.pk)
        entries.append(
            Entry(
                title=f"{note.patient.first_name} {note.patient.last_name} · {date_label(note.date_of_service)}",
                text=f"{comment.by}: “{comment.comment}”" if comment is not None else "Returned for revision",
                url=reverse("clinical_notes:edit", kwargs={"note_id": note.pk}),
            )
        )
    return entries


def _supervision_section(
    access: PracticeAccess, notes: note_selectors.NoteWorklistCounts, today: dt.date, due_days: int
) -> Section:
    reviews = plan_reviews_due(access=access, within_days=PLAN_REVIEW_WINDOW_DAYS)
    waiting_detail = ""
    if notes.cosign_waiting:
        parts = [f"{notes.cosign_overdue} overdue"] if notes.cosign_overdue else []
        if notes.cosign_oldest_service_on is not None:
            days = (today - notes.cosign_oldest_service_on).days
            parts.append(f"oldest session {days} day{'s' if days != 1 else ''} ago")
        waiting_detail = ", ".join(parts)
    return Section(
        key="supervision",
        title="Supervision",
        tiles=[
            Tile(
                "cosign-waiting",
                "Waiting for your co-signature",
                notes.cosign_waiting,
                reverse("clinical_notes:cosign_queue"),
                detail=waiting_detail,
                tone=_tone(notes.cosign_waiting, "bad" if notes.cosign_overdue else "warn"),
            ),
            Tile(
                "supervisees-late",
                "Supervisees' late notes",
                notes.supervisees_late,
                "",  # drafts are their authors' own: a number to follow up, no list to open
                detail=f"not signed within {due_days} days of the session" if notes.supervisees_late else "",
                tone=_tone(notes.supervisees_late, "bad"),
            ),
            Tile(
                "plan-reviews",
                "Treatment-plan reviews due",
                reviews.total,
                "#supervision-entries" if reviews.first else "",
                detail=f"within {PLAN_REVIEW_WINDOW_DAYS} days or past" if reviews.total else "",
                tone=_tone(reviews.total),
            ),
        ],
        entries_title="Plan reviews coming due" if reviews.first else "",
        entries=[
            Entry(
                title=r.patient_name,
                text=("review was due " if r.review_on < today else "review by ") + date_label(r.review_on),
                url=reverse("plans:detail", kwargs={"plan_id": r.plan_id}),
            )
            for r in reviews.first
        ],
    )


def _claims_filing_tile(access: PracticeAccess) -> Tile:
    """Claims the payer has not accepted, with the filing deadline within 14 days or past."""
    counts = claims_filing_deadline_counts(access=access, within_days=FILING_ALERT_DAYS)
    try:  # the claims list, once its screen exists; until then the charges list
        url = _url("claims:list", filing_due=FILING_ALERT_DAYS)
    except NoReverseMatch:
        url = _url("charges:list", filing_due=FILING_ALERT_DAYS)
    detail = ""
    if counts.total:
        detail = f"{counts.past} past the deadline" if counts.past else f"within {FILING_ALERT_DAYS} days"
    return Tile(
        "claims-filing-near",
        "Claims near the filing deadline",
        counts.total,
        url,
        detail=detail,
        tone=_tone(counts.total, "bad"),
    )


def _billing_section(access: PracticeAccess) -> Section:
    counts = charge_worklist_counts(access=access, within_days=TIMELY_FILING_WARNING_DAYS)
    running_out = authorizations_running_out_count(access=access)
    claims = claim_counts(access=access)
    tiles = [
        Tile(
            f"hold-{code or 'other'}",
            f"On hold: {finding_label(code) if code else 'other'}",
            count,
            _url("charges:list", status="on_hold", reason=code),
            tone="bad",
        )
        for code, count in counts.on_hold_by_reason
    ]
    if not tiles:
        tiles.append(Tile("hold-none", "Charges on hold", 0, _url("charges:list", status="on_hold")))
    tiles += [
        Tile(
            "ready-review",
            "Ready for review",
            counts.ready,
            _url("charges:list", status="ready"),
            detail="no errors: check the lines and mark reviewed" if counts.ready else "",
            tone=_tone(counts.ready),
        ),
        Tile(
            "ready-bill", "Reviewed, ready to bill", counts.reviewed, _url("charges:list", status="reviewed")
        ),
        Tile(
            "claims-ready",
            "Claims ready to submit",
            claims["ready"],
            reverse("claims:batches"),
            detail="tick them and submit a batch" if claims["ready"] else "",
            tone=_tone(claims["ready"]),
        ),
        Tile(
            "claims-rejected",
            "Rejected claims",
            claims["rejected"],
            reverse("claims:rejections"),
            detail="fix and resubmit" if claims["rejected"] else "",
            tone=_tone(claims["rejected"], "bad"),
        ),
        Tile(
            "filing-near",
            "Filing deadlines near",
            counts.filing_due_soon,
            _url("charges:list", filing_due=TIMELY_FILING_WARNING_DAYS),
            detail=f"within {TIMELY_FILING_WARNING_DAYS} days or past" if counts.filing_due_soon else "",
            tone=_tone(counts.filing_due_soon, "bad"),
        ),
        _claims_filing_tile(access),
        Tile(
            "auth-running-out",
            "Authorizations running out",
            running_out,
            _url("authorizations:list", alerting=1),
            tone=_tone(running_out),
        ),
    ]
    if access.can(Capability.COVERAGE_EDIT):
        problems = session_problem_count(practice_id=access.practice_id)
        changes = eligibility_alert_count(practice_id=access.practice_id, days=COVERAGE_CHANGE_DAYS)
        tiles += [
            Tile(
                "coverage-problems",
                "Sessions with coverage problems",
                problems,
                reverse("eligibility:problems"),
                detail="unverified, inactive or no authorization" if problems else "",
                tone=_tone(problems, "bad"),
            ),
            Tile(
                "coverage-changes",
                "Coverage changes",
                changes,
                reverse("eligibility:problems") + "#alerts",
                detail=f"last {COVERAGE_CHANGE_DAYS} days",
                tone=_tone(changes),
            ),
        ]
    return Section(key="billing", title="Charges and authorizations", tiles=tiles)


def _setup_section(access: PracticeAccess, today: dt.date) -> Section:
    setup = practice_setup_counts(access=access, today=today)
    not_enrolled = providers_not_enrolled_count(
        access=access, provider_ids=billing_provider_ids(access=access)
    )
    no_rules = payers_without_rules_count(access=access, payer_ids=insurance_payer_ids(access=access))
    running_out = authorizations_running_out_count(access=access)
    providers = reverse("practice:provider_list")
    return Section(
        key="setup",
        title="Practice set-up",
        tiles=[
            Tile(
                "no-npi",
                "Providers without an NPI",
                setup.providers_without_npi,
                providers,
                tone=_tone(setup.providers_without_npi, "bad"),
            ),
            Tile(
                "not-enrolled",
                "Providers enrolled with no payer",
                not_enrolled,
                providers,
                tone=_tone(not_enrolled, "bad"),
            ),
            Tile(
                "licences-expiring",
                "Licences expiring or expired",
                setup.licenses_expiring,
                providers,
                detail="within 60 days" if setup.licenses_expiring else "",
                tone=_tone(setup.licenses_expiring),
            ),
            Tile(
                "payer-rules-missing",
                "Payers without rules",
                no_rules,
                reverse("payers:list"),
                tone=_tone(no_rules, "bad"),
            ),
            Tile(
                "auth-running-out-admin",
                "Authorizations running out",
                running_out,
                _url("authorizations:list", alerting=1),
                tone=_tone(running_out),
            ),
        ],
    )


def _compliance_section(access: PracticeAccess, today: dt.date) -> Section:
    since = today - dt.timedelta(days=RECENT_DAYS)
    counts = audit_worklist_counts(viewer=access, since=since)
    chain = audit_verification_summary()
    log = "audit:event_list"
    return Section(
        key="compliance",
        title="Compliance",
        tiles=[
            Tile(
                "audit-chain",
                chain.label if chain is not None else "Chain not verified yet",
                None,
                reverse(log) + "#chain-status",
                detail=f"checked {chain.ran_at}, {chain.events_checked} events" if chain is not None else "",
                tone=("ok" if chain.ok else "bad") if chain is not None else "warn",
            ),
            Tile(
                "denied",
                f"Denied attempts, last {RECENT_DAYS} days",
                counts.denied,
                _url(log, outcome="denied", date_from=since.isoformat()),
                tone=_tone(counts.denied, "bad"),
            ),
            Tile(
                "exports",
                f"Exports, last {RECENT_DAYS} days",
                counts.exports,
                _url(log, action="export", date_from=since.isoformat()),
            ),
        ],
    )


def _money_section(access: PracticeAccess) -> Section:
    """The way into the billing dashboard and patient balances (patients owing, credits to
    refund: P5)."""
    due, credits = patient_balance_counts(practice_id=access.practice_id)
    return Section(
        key="money",
        title="Money owed",
        tiles=[
            Tile(
                "billing-dashboard",
                "Billing dashboard: A/R aging and work queues",
                None,
                reverse("billing_dashboard:dashboard"),
            ),
            Tile(
                "patients-due", "Patients owing", due, _url("patient_billing:ar", only="due"), tone=_tone(due)
            ),
            Tile(
                "patient-credits",
                "Credit balances to refund",
                credits,
                _url("patient_billing:ar", only="credit"),
                tone=_tone(credits, "bad"),
            ),
        ],
    )


def home_sections(*, access: PracticeAccess) -> list[Section]:
    """The sections the user's capabilities call for, in the order work flows."""
    now = timezone.now()
    today = now.astimezone(practice_zone(practice_id=access.practice_id)).date()
    sections: list[Section] = []
    if access.can(Capability.CLINICAL_VIEW):
        sections += _clinical_sections(access, today, now)
    if access.can(Capability.BILLING_EDIT):
        sections.append(_billing_section(access))
    if access.can(Capability.BILLING_VIEW):
        sections.append(_money_section(access))
    if access.can(Capability.PRACTICE_MANAGE):
        sections.append(_setup_section(access, today))
    if access.can(Capability.AUDIT_VIEW):
        sections.append(_compliance_section(access, today))
    return sections
