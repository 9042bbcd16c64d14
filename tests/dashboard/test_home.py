"""Each role's home page is its worklist: counts from the apps' selectors, linking to filtered
lists, one section per kind of work the user can do (time frozen on 2026-03-10, New York)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.models import ChargeSet
from eligibility.models import EligibilityCheck
from eligibility.selectors import session_problem_count
from payer_rules.services import payer_rule_set_create
from payers.models import PayerEnrollment
from practice.models import License
from tests.clinical_notes.conftest import NOW
from tests.factories import CoverageFactory, PayerFactory
from tests.factories.clinical import SessionNoteFactory
from tests.factories.scheduling import AppointmentFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db

SIGNED = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)


def _tile(body: str, key: str) -> str:
    """The text of one tile, squeezed to single spaces."""
    found = re.search(rf'id="tile-{re.escape(key)}"[^>]*>(.*?)</(?:a|div)>', body, re.S)
    assert found is not None, f"no tile {key}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def _draft(clinic, author, day: int, patient=None):
    return SessionNoteFactory(
        practice=clinic.practice,
        patient=patient or clinic.patient,
        author=author,
        date_of_service=dt.date(2026, 3, day),
    )


def _home(client_for, user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def notes(clinic):
    # the tech: drafts of 5 March (2 days late: due within 3 days) and 8 March (on time),
    # one note of 2 March signed today, waiting for the supervisor
    _draft(clinic, clinic.tech, 5)
    _draft(clinic, clinic.tech, 8)
    SessionNoteFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.tech,
        date_of_service=dt.date(2026, 3, 2),
        status="awaiting_cosign",
        requires_cosign=True,
        supervisor=clinic.supervisor,
        signed_at=SIGNED,
    )
    # the other tech: 6 March is a day late; 7 March is due today (not late)
    _draft(clinic, clinic.other_tech, 6, clinic.other_patient)
    _draft(clinic, clinic.other_tech, 7, clinic.other_patient)
    return clinic


def test_a_technician_sees_their_notes_with_how_late_and_no_cosign_work(notes, client_for):
    body = _home(client_for, notes.tech_user)
    assert _tile(body, "notes-to-write") == "2 Notes to write oldest: 2 days late"
    assert _tile(body, "notes-returned") == "0 Returned to you"
    assert _tile(body, "sessions-today") == "0 Sessions today"
    assert 'id="section-supervision"' not in body
    assert "Co-sign queue" not in body  # not in the menu either
    assert 'id="section-billing"' not in body


def test_a_supervisor_sees_the_queue_counted_from_the_date_of_service_and_late_supervisee_notes(
    notes, client_for
):
    body = _home(client_for, notes.supervisor_user)
    # signed today, but the session was 8 days ago
    assert _tile(body, "cosign-waiting") == "1 Waiting for your co-signature oldest session 8 days ago"
    assert 'href="/notes/cosign/"' in body
    # 5 March (tech) and 6 March (other tech) are late; 7 and 8 March are not
    assert _tile(body, "supervisees-late").startswith("2 Supervisees' late notes")
    assert _tile(body, "plan-reviews") == "0 Treatment-plan reviews due"


def test_returned_notes_show_the_supervisors_comment(notes, client_for):
    from clinical_notes import services

    waiting = notes.tech.authored_notes.get(status="awaiting_cosign")
    services.note_return(
        access=notes.access(notes.supervisor_user), note_id=waiting.pk, comment="Add the session's goals."
    )
    body = _home(client_for, notes.tech_user)
    assert _tile(body, "notes-returned").startswith("1 Returned to you")
    assert "Add the session&#x27;s goals." in body


def _charge_set(clinic, payer, *, status: str, day: dt.date, findings=()) -> ChargeSet:
    note = SessionNoteFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        author=clinic.clinician,
        date_of_service=day,
        status="final",
        signed_at=SIGNED,
        finalized_at=SIGNED,
        signed_by=clinic.clinician_user,
    )
    return ChargeSet.objects.create(
        practice=clinic.practice,
        note=note,
        patient=clinic.patient,
        date_of_service=day,
        payer=payer,
        rendering_provider=clinic.clinician,
        status=status,
        findings=list(findings),
        error_count=sum(1 for f in findings if f["severity"] == "error"),
        captured_at=SIGNED,
        scrubbed_at=SIGNED,
        reviewed_at=SIGNED if status == "reviewed" else None,
        reviewed_by=clinic.biller_user if status == "reviewed" else None,
    )


AUTH = {
    "code": "auth_missing",
    "severity": "error",
    "message": "No authorization.",
    "field": "",
    "fix_hint": "",
}
NPI = {"code": "npi_missing", "severity": "error", "message": "No NPI.", "field": "", "fix_hint": ""}


@pytest.fixture
def charges(clinic):
    payer = PayerFactory(practice=clinic.practice, timely_filing_days=90)
    # deadline = date of service + 90 days; "near" = on or before 24 March (today + 14)
    in_window = _charge_set(clinic, payer, status="on_hold", day=dt.date(2025, 12, 24), findings=[AUTH])
    _charge_set(clinic, payer, status="on_hold", day=dt.date(2025, 12, 25), findings=[AUTH])
    _charge_set(clinic, payer, status="on_hold", day=dt.date(2026, 3, 1), findings=[NPI, AUTH])
    _charge_set(clinic, payer, status="ready", day=dt.date(2026, 3, 1))
    _charge_set(clinic, payer, status="reviewed", day=dt.date(2025, 12, 1))  # reviewed: not counted
    return in_window


def test_a_biller_sees_holds_by_reason_ready_sets_and_filing_deadlines(clinic, charges, client_for):
    body = _home(client_for, clinic.biller_user)
    assert _tile(body, "hold-auth_missing") == "2 On hold: Prior authorization missing"
    assert _tile(body, "hold-npi_missing") == "1 On hold: NPI missing"
    assert _tile(body, "ready-review").startswith("1 Ready for review")
    assert _tile(body, "ready-bill") == "1 Reviewed, ready to bill"
    assert _tile(body, "filing-near") == "1 Filing deadlines near within 14 days or past"
    assert _tile(body, "auth-running-out") == "0 Authorizations running out"
    assert 'id="section-clinical"' not in body


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("status=on_hold&reason=auth_missing", 2),
        ("status=on_hold&reason=npi_missing", 1),
        ("filing_due=14", 1),
        ("filing_due=13", 0),
    ],
)
def test_the_tiles_open_the_matching_filtered_charge_list(clinic, charges, client_for, query, shown):
    response = client_for(clinic.biller_user).get(f"{reverse('charges:list')}?{query}")
    assert response.status_code == 200
    assert response.context["page"].total == shown


def _session(clinic, coverage, day: int) -> None:
    start = dt.datetime(2026, 3, day, 15, 0, tzinfo=dt.UTC)
    AppointmentFactory(practice=clinic.practice, patient=coverage.patient, starts_at=start)


def _check(coverage, finished_at: dt.datetime, *, alert: bool = True) -> EligibilityCheck:
    return EligibilityCheck.objects.create(  # test-only: a recorded check
        practice=coverage.patient.practice,
        patient=coverage.patient,
        coverage=coverage,
        service_date=finished_at.date(),
        reason=EligibilityCheck.Reason.SCHEDULED,
        status=EligibilityCheck.Status.DONE,
        trace_number=f"HOME{finished_at:%m%d%H%M}{int(alert)}",
        finished_at=finished_at,
        has_alert=alert,
        sequence=finished_at.minute,
    )


def test_a_biller_sees_sessions_with_coverage_problems_and_coverage_changes(clinic, client_for):
    coverage = CoverageFactory(patient=clinic.patient)
    _session(clinic, coverage, 11)  # never verified: a problem
    _session(clinic, coverage, 12)
    CoverageFactory(
        patient=clinic.other_patient, payer=PayerFactory(practice=clinic.practice, kind="self_pay")
    )
    _session(clinic, CoverageFactory(patient=clinic.other_patient, priority=2), 11)  # no primary: skipped
    month = dt.timedelta(days=30)
    _check(coverage, NOW - month + dt.timedelta(minutes=1))  # inside the 30 days
    _check(coverage, NOW - month - dt.timedelta(minutes=1))  # a minute too old
    _check(coverage, NOW - dt.timedelta(days=1), alert=False)  # no alert
    body = _home(client_for, clinic.biller_user)
    assert _tile(body, "coverage-problems").startswith("2 Sessions with coverage problems")
    assert _tile(body, "coverage-changes") == "1 Coverage changes last 30 days"
    assert f'href="{reverse("eligibility:problems")}#alerts"' in body
    assert 'id="tile-coverage-problems"' not in _home(client_for, clinic.tech_user)


def test_an_admin_sees_setup_problems(clinic, client_for):
    admin = clinic.access(clinic.admin_user)
    clinic.clinician.npi = ""
    clinic.clinician.save(update_fields=["npi"])
    today = dt.date(2026, 3, 10)
    License.objects.create(
        provider=clinic.supervisor, number="B-1", state="NY", expires_on=today + dt.timedelta(days=60)
    )
    License.objects.create(
        provider=clinic.clinician, number="L-1", state="NY", expires_on=today + dt.timedelta(days=61)
    )
    with_rules, _without = PayerFactory(practice=clinic.practice), PayerFactory(practice=clinic.practice)
    PayerFactory(practice=clinic.practice, kind="self_pay", payer_id="")  # self-pay needs no rules
    payer_rule_set_create(access=admin, payer_pk=with_rules.pk, effective_from=dt.date(2026, 1, 1), rules={})
    PayerEnrollment.objects.create(provider=clinic.supervisor, payer=with_rules, status="enrolled")
    body = _home(client_for, clinic.admin_user)
    assert _tile(body, "no-npi") == "1 Providers without an NPI"
    assert _tile(body, "not-enrolled") == "1 Providers enrolled with no payer"  # the clinician
    assert _tile(body, "licences-expiring") == "1 Licences expiring or expired within 60 days"
    assert _tile(body, "payer-rules-missing") == "1 Payers without rules"
    assert 'id="section-billing"' not in body


def test_compliance_sees_the_chain_denied_attempts_and_exports(clinic, client_for):
    context = clinic.access(clinic.tech_user).audit
    for action, outcome in (
        ("view", "denied"),
        ("list", "denied"),
        ("export", "allowed"),
        ("view", "allowed"),
    ):
        audit_event_record(
            context=context,
            action=action,
            category=Category.BILLING,
            practice_id=clinic.practice.pk,
            outcome=outcome,
        )
    body = _home(client_for, clinic.compliance_user)
    assert _tile(body, "audit-chain") == "Chain not verified yet"
    assert _tile(body, "denied") == "2 Denied attempts, last 7 days"
    assert _tile(body, "exports") == "1 Exports, last 7 days"
    assert "outcome=denied&amp;date_from=2026-03-03" in body
    assert AuditEvent.objects.filter(practice_id=clinic.practice.pk, outcome="denied").count() == 2


def test_the_home_page_queries_do_not_grow_with_the_work(notes, charges, client_for):
    supervisor, biller = client_for(notes.supervisor_user), client_for(notes.biller_user)
    coverage = CoverageFactory(patient=notes.patient, payer=charges.payer)
    _session(notes, coverage, 11)
    before = (queries_of(lambda: supervisor.get("/")), queries_of(lambda: biller.get("/")))
    other = CoverageFactory(patient=notes.other_patient, payer=PayerFactory(practice=notes.practice))
    for day in (3, 4, 5, 6):
        _draft(notes, notes.other_tech, day, notes.other_patient)
        _charge_set(notes, charges.payer, status="on_hold", day=dt.date(2026, 3, day), findings=[NPI])
        _session(notes, coverage, 8 + day)
        _session(notes, other, 8 + day)
    assert session_problem_count(practice_id=notes.practice.pk) == 9
    after = (queries_of(lambda: supervisor.get("/")), queries_of(lambda: biller.get("/")))
    assert after == before
    # The biller's home reads its worklist, the claim tiles (ready, rejected, filing deadline) and
    # the money-owed section: a fixed budget whatever the amount of work.
    assert max(before) <= 32


def test_a_clinician_who_supervises_sees_both_sections_and_one_who_does_not_sees_one(clinic, client_for):
    from tests.factories.clinical import SupervisionFactory

    # given: the clinician supervises nobody yet
    alone = _home(client_for, clinic.clinician_user)
    # when: they start supervising the other technician
    SupervisionFactory(
        supervisor=clinic.clinician, supervisee=clinic.other_tech, starts_on=dt.date(2026, 3, 1)
    )
    both = _home(client_for, clinic.clinician_user)
    # then
    assert ('id="section-clinical"' in alone, 'id="section-supervision"' in alone) == (True, False)
    assert ('id="section-clinical"' in both, 'id="section-supervision"' in both) == (True, True)
