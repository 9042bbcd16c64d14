"""Claims built from reviewed charges, scrubbed, and made `ready` only when clean.

`claims_assemble(practice_id, *, actor, charge_set_ids=None)`:

1. Under the practice's assembly lock (a counter row locked for the transaction: two runs at
   once queue, and the second finds nothing left), the REVIEWED, insured charge sets of the
   practice that no live primary claim holds yet (a voided claim gives its charges back).
2. `claims.domain.claim_assembly.plan_claims` groups them by patient, payer, coverage, rendering
   and supervising provider and the billing-frequency period of the payer's rules on the date
   of service, at most 50 lines and 12 diagnoses, one prior-authorization number per claim.
3. Each claim is numbered (patient control numbers from the practice's counter, line control
   numbers derived from them) and scrubbed in memory: the charge scrubber's stored findings of
   its charge sets (warnings: reviewed sets have no errors), the duplicate check against
   earlier live claims (C16), the claim-level edits (C5, C6, C15), the enrolment of the
   reported provider on every date (C14), and the 837 builder's own check of the claim as it
   would be written (C11: missing data is an error naming it; the practice, payer and
   providers the claims share are mapped and checked once per run). No error: `ready`;
   otherwise `draft` with its findings.
4. Claims, lines and events are plain rows (no model instances): claim ids come from the
   sequence in one query, then one COPY per table (`core.bulk`; decision 0049). The garbage
   collector is paused while the rows are built and written.

Idempotent: a second run finds every charge already on a live claim and creates nothing. The
number of queries does not grow with the number of claims (bulk reads and writes; one
enrolment query per payer).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.access import PracticeAccess
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims import lock_objects
from claims.domain.claim_assembly import (
    ChargeSetIn,
    ClaimCheckInput,
    DuplicateIndex,
    Enrollment,
    LineIn,
    PlannedClaim,
    PriorLine,
    claim_level_problems,
    enrollment_problems,
    incomplete_data_problem,
    line_control_number,
    patient_control_number,
    plan_claims,
    timely_filing_deadline,
)
from claims.domain.claim_status import ClaimStatus
from claims.models import (
    Charge,
    ChargeSet,
    ChargeStatus,
    Claim,
    ClaimEvent,
    ClaimFrequency,
    ClaimLine,
    ClaimResponsibility,
)
from claims.selectors.cob import claims_cob, with_cob
from claims.selectors.x837 import RELATED_FIELDS, Parties, attach_related, claim_837
from claims.services.common import claim_event_row, require_edit
from claims.services.numbers import claim_numbers
from core.bulk import ids_reserve, rows_insert
from core.domain.problems import Problem, Severity, problem_as_dict
from core.errors import NotFound
from core.memory import gc_paused
from edi.reader import DEFAULT_DELIMITERS
from edi.x837p import Checked, ClaimDataError, validate_claim
from payer_rules.domain.policy import BillingFrequency, PayerPolicy, PolicyTimeline
from payer_rules.selectors import payer_policy_timelines
from payers.selectors import enrollments_with_payer

OBJECT_TYPE = "claim"


@dataclass(frozen=True, slots=True)
class AssemblyResult:
    claim_ids: tuple[int, ...]
    ready: int
    draft: int

    @property
    def created(self) -> int:
        return len(self.claim_ids)


def _live_primary_line() -> Exists:
    return Exists(
        ClaimLine.objects.filter(charge__charge_set=OuterRef("pk"), claim__responsibility="P").exclude(
            claim__status=ClaimStatus.VOIDED
        )
    )


_SET_FIELDS = (
    "pk", "patient_id", "payer_id", "coverage_id", "rendering_provider_id", "supervising_provider_id",
    "supervisor_billing", "date_of_service", "claim_diagnoses", "findings", "practice_id",
)  # fmt: skip
_CHARGE_FIELDS = (
    "pk", "charge_set_id", "code", "modifiers", "units", "fee_cents", "place_of_service", "diagnosis_pointers",
    "auth_number",
)  # fmt: skip


def _charge_sets(
    practice_id: int, charge_set_ids: Sequence[int] | None
) -> tuple[list[ChargeSetIn], dict[int, SimpleNamespace]]:
    """The sets to assemble as the planner's input, and per set the people the claim names
    (practice, patient, coverage, payer, providers) as plain records shared between sets: two
    queries of values, no model instances."""
    rows = ChargeSet.objects.filter(
        practice_id=practice_id,
        status=ChargeStatus.REVIEWED,
        self_pay=False,
        payer__isnull=False,
        coverage__isnull=False,
    ).exclude(_live_primary_line())
    if charge_set_ids is not None:
        rows = rows.filter(pk__in=list(charge_set_ids))
    related = [f"{rel}__{name}" for rel, names in RELATED_FIELDS.items() for name in names]
    sets = list(rows.order_by("date_of_service", "pk").values(*_SET_FIELDS, *related))
    lines: dict[int, list[LineIn]] = defaultdict(list)
    charges = Charge.objects.filter(charge_set_id__in=[row["pk"] for row in sets], units__gt=0)
    for line in charges.order_by("charge_set_id", "line_number").values(*_CHARGE_FIELDS):
        lines[line["charge_set_id"]].append(
            LineIn(
                charge_id=line["pk"],
                code=line["code"],
                modifiers=tuple(str(m) for m in line["modifiers"]),
                units=line["units"],
                charge_cents=line["fee_cents"],
                place_of_service=line["place_of_service"],
                diagnosis_pointers=tuple(int(p) for p in line["diagnosis_pointers"]),
                auth_number=line["auth_number"],
            )
        )
    shared: dict[tuple[str, object], SimpleNamespace] = {}
    found: list[ChargeSetIn] = []
    people: dict[int, SimpleNamespace] = {}
    for row in sets:
        record = SimpleNamespace()
        attach_related(record, row, shared)
        people[row["pk"]] = record
        found.append(
            ChargeSetIn(
                charge_set_id=row["pk"],
                patient_id=row["patient_id"],
                payer_id=row["payer_id"],
                coverage_id=row["coverage_id"],
                rendering_provider_id=row["rendering_provider_id"],
                supervising_provider_id=row["supervising_provider_id"],
                supervisor_billing=row["supervisor_billing"],
                date_of_service=row["date_of_service"],
                diagnoses=tuple(str(code) for code in row["claim_diagnoses"]),
                lines=tuple(lines[row["pk"]]),
                findings=tuple(f for f in row["findings"] if f.get("severity") != Severity.ERROR),
            )
        )
    return found, people


def _prior_lines(practice_id: int, planned: Sequence[PlannedClaim]) -> list[PriorLine]:
    """Lines of live primary claims for the same patients and dates (one query)."""
    patients = {claim.patient_id for claim in planned}
    dates = {line.service_date for claim in planned for line in claim.lines}
    rows = (
        ClaimLine.objects.filter(
            claim__practice_id=practice_id,
            claim__patient_id__in=patients,
            claim__responsibility="P",
            service_date__in=dates,
        )
        .exclude(claim__status=ClaimStatus.VOIDED)
        .values_list(
            "claim__patient_id",
            "claim__payer_id",
            "service_date",
            "code",
            "units",
            "claim__patient_control_number",
        )
    )
    return [PriorLine(p, pay, day, code, units, ref) for p, pay, day, code, units, ref in rows]


@dataclass(slots=True)
class Built:
    """One planned claim before it is saved: its columns, its lines' columns, and the record the
    scrubber and the 837 read (the claim's fields and the people of its first charge set)."""

    row: dict[str, Any]
    lines: list[SimpleNamespace]
    record: SimpleNamespace


def _unsaved_claims(
    practice_id: int,
    planned: Sequence[PlannedClaim],
    people: Mapping[int, SimpleNamespace],
    terms: Terms,
    *,
    actor: PracticeAccess | None,
    now: datetime,
) -> list[Built]:
    """The planned claims as plain rows (no model instances: 10,000 claims are built in a
    fraction of the time), numbered from the practice's counter."""
    numbers = claim_numbers(practice_id, len(planned))
    created_by = actor.user_id if actor is not None else None
    built: list[Built] = []
    for number, plan in zip(numbers, planned, strict=True):
        source = people[plan.charge_set_ids[0]]
        policy = terms(plan.payer_id, plan.date_from)
        days = policy.timely_filing_days if policy is not None else None
        pcn = patient_control_number(number)
        row: dict[str, Any] = {
            "practice_id": practice_id,
            "patient_id": plan.patient_id,
            "payer_id": plan.payer_id,
            "coverage_id": plan.coverage_id,
            "responsibility": ClaimResponsibility.PRIMARY.value,
            "frequency": ClaimFrequency.ORIGINAL.value,
            "payer_claim_number": "",
            "patient_control_number": pcn,
            "status": ClaimStatus.DRAFT.value,
            "status_changed_at": now,
            "rendering_provider_id": plan.rendering_provider_id,
            "supervising_provider_id": plan.supervising_provider_id,
            "supervisor_billing": plan.supervisor_billing,
            "place_of_service": plan.place_of_service,
            "date_from": plan.date_from,
            "date_to": plan.date_to,
            "total_cents": plan.total_cents,
            "diagnoses": list(plan.diagnoses),
            "prior_auth_number": plan.prior_auth_number,
            "timely_filing_deadline": timely_filing_deadline(plan.date_from, days),
            "created_by_id": created_by,
        }
        lines = [
            SimpleNamespace(
                line_number=index,
                charge_id=line.charge_id,
                code=line.code,
                modifiers=list(line.modifiers),
                units=line.units,
                charge_cents=line.charge_cents,
                place_of_service=line.place_of_service,
                diagnosis_pointers=list(line.diagnosis_pointers),
                service_date=line.service_date,
                prior_auth_number=line.auth_number,
                line_control_number=line_control_number(practice_id, pcn, index),
            )
            for index, line in enumerate(plan.lines, start=1)
        ]
        record = SimpleNamespace(pk=None, **row, **vars(source))  # its people: one per relation
        built.append(Built(row, lines, record))
    return built


def _enrollments(claims: Iterable[Any]) -> dict[tuple[int, int], Enrollment]:
    """(provider id, payer id) -> enrolment, one query per payer."""
    providers: dict[int, set[int]] = defaultdict(set)
    for claim in claims:
        providers[claim.payer_id].add(_reported_provider_id(claim))
    found: dict[tuple[int, int], Enrollment] = {}
    for payer_id, provider_ids in providers.items():
        for provider_id, span in enrollments_with_payer(provider_ids=provider_ids, payer_pk=payer_id).items():
            found[(provider_id, payer_id)] = Enrollment(span.status, span.effective_on, span.ends_on)
    return found


def _reported_provider_id(claim: Any) -> int:
    """Whose enrolment the payer checks: the supervisor when the claim is billed under one."""
    if claim.supervising_provider_id is not None and claim.supervisor_billing:
        return claim.supervising_provider_id
    return claim.rendering_provider_id


def claim_scrub_problems(
    claim: Any,
    lines: Sequence[Any] | None = None,
    *,
    carried: Iterable[Problem] = (),
    duplicates: Iterable[Problem] = (),
    enrollment: Enrollment | None,
    parties: Parties | None = None,
    checked: Checked | None = None,
) -> list[Problem]:
    """Every finding of one claim (a `Claim` with relations and lines loaded, or a record with the
    same attribute names and its `lines` given), errors
    first: the carried charge findings, duplicates, claim-level edits, the reported provider's
    enrolment on every date, and the 837 builder's own check of the claim. Claims scrubbed
    together share `parties` and `checked`: the practice, payer and providers they name are
    mapped and checked once."""
    rows = list(claim.lines.all()) if lines is None else list(lines)
    problems = [*carried, *duplicates]
    problems += claim_level_problems(
        ClaimCheckInput(
            patient_control_number=claim.patient_control_number,
            total_cents=claim.total_cents,
            line_charges=tuple(line.charge_cents for line in rows),
            line_controls=tuple(line.line_control_number for line in rows),
            line_auths=tuple(line.prior_auth_number for line in rows),
            taxonomies={
                "billing_provider.taxonomy": claim.practice.taxonomy_code,
                "rendering_provider.taxonomy": claim.rendering_provider.taxonomy_code,
            },
        )
    )
    supervisor = (
        claim.supervising_provider if _reported_provider_id(claim) != claim.rendering_provider_id else None
    )
    who = supervisor if supervisor is not None else claim.rendering_provider
    problems += enrollment_problems(
        who=f"{'supervising' if supervisor is not None else 'rendering'} provider ({who.first_name} {who.last_name})",
        field_path="supervising_provider" if supervisor is not None else "rendering_provider",
        payer_name=claim.payer.name,
        enrollment=enrollment,
        dates=[line.service_date for line in rows],
    )
    cobs = claims_cob([claim])  # a secondary/tertiary claim: the earlier payers' loops (C1-C4)
    if cobs:
        problems += cobs[claim.pk].problems
    try:
        validate_claim(
            with_cob(claim_837(claim, rows, parties=parties), claim, cobs),
            DEFAULT_DELIMITERS,
            checked=checked,
        )
    except ClaimDataError as failure:
        reason = str(failure).split(": ", 1)[-1]
        problems.append(incomplete_data_problem(failure.field, reason))
    problems.sort(key=lambda p: 0 if p.severity is Severity.ERROR else 1)
    return problems


def _problem(stored: Mapping[str, Any]) -> Problem:
    return Problem(
        code=str(stored.get("code", "")),
        message=str(stored.get("message", "")),
        field=str(stored.get("field", "")),
        severity=Severity(stored.get("severity", Severity.WARNING)),
        fix_hint=str(stored.get("fix_hint", "")),
    )


def _scrub(
    built: Sequence[Built],
    planned: Sequence[PlannedClaim],
    duplicates: DuplicateIndex,
    *,
    now: datetime,
) -> None:
    """Findings, counts and status on each unsaved claim (in memory, no query but enrolments)."""
    enrollments = _enrollments(item.record for item in built)
    parties: Parties = {}
    checked: Checked = {}
    for item, plan in zip(built, planned, strict=True):
        row, record = item.row, item.record
        problems = claim_scrub_problems(
            record,
            item.lines,
            carried=[_problem(f) for f in plan.findings],
            duplicates=duplicates.problems(plan),
            enrollment=enrollments.get((_reported_provider_id(record), record.payer_id)),
            parties=parties,
            checked=checked,
        )
        duplicates.add(plan, row["patient_control_number"])
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        row["findings"] = [problem_as_dict(p) for p in problems]
        row["error_count"] = errors
        row["warning_count"] = len(problems) - errors
        row["scrubbed_at"] = now
        row["status"] = (ClaimStatus.READY if errors == 0 else ClaimStatus.DRAFT).value


def _save(
    built: Sequence[Built],
    planned: Sequence[PlannedClaim],
    *,
    actor: PracticeAccess | None,
    now: datetime,
) -> list[int]:
    """The claims, their lines and their events (created and scrubbed; ready when clean): ids
    drawn from the claims' sequence, then one COPY per table (core.bulk); the new ids."""
    ids = ids_reserve(Claim, len(built))
    events: list[dict[str, Any]] = []
    for claim_id, item, plan in zip(ids, built, planned, strict=True):
        row = item.row
        row["id"] = claim_id
        for line in item.lines:
            line.claim_id = claim_id
        events.append(
            claim_event_row(
                claim_id,
                kind=ClaimEvent.Kind.CREATED,
                actor=actor,
                at=now,
                to_status=ClaimStatus.DRAFT,
                detail=f"scrubbed: errors={row['error_count']};warnings={row['warning_count']}",
                data={"charge_set_ids": list(plan.charge_set_ids)},
            )
        )
        if row["status"] == ClaimStatus.READY:
            events.append(
                claim_event_row(
                    claim_id,
                    kind=ClaimEvent.Kind.TRANSITION,
                    actor=actor,
                    at=now,
                    from_status=ClaimStatus.DRAFT,
                    to_status=ClaimStatus.READY,
                    reason="Scrubbed without errors.",
                )
            )
    rows_insert(Claim, [item.row for item in built])
    rows_insert(ClaimLine, [vars(line) for item in built for line in item.lines])
    rows_insert(ClaimEvent, events)
    return ids


Terms = Callable[[int, date], PayerPolicy | None]


def _terms(timelines: Mapping[int, PolicyTimeline]) -> Terms:
    """(payer id, date) -> the payer's policy on that date (None without rules), each worked
    out once: thousands of claims share a few payers and dates."""
    found: dict[tuple[int, date], PayerPolicy | None] = {}

    def terms(payer_id: int, day: date) -> PayerPolicy | None:
        key = (payer_id, day)
        if key not in found:
            timeline = timelines.get(payer_id)
            found[key] = timeline.on(day) if timeline is not None else None
        return found[key]

    return terms


def _frequency(terms: Terms) -> Callable[[ChargeSetIn], BillingFrequency]:
    def frequency_of(charge_set: ChargeSetIn) -> BillingFrequency:
        policy = terms(charge_set.payer_id, charge_set.date_of_service)
        if policy is None:
            return BillingFrequency.PER_SESSION
        return BillingFrequency(policy.billing_frequency)

    return frequency_of


def claims_assemble(
    practice_id: int, *, actor: PracticeAccess | None, charge_set_ids: Sequence[int] | None = None
) -> AssemblyResult:
    """Build, number and scrub the claims of the practice's reviewed charges not on a claim yet
    (only `charge_set_ids` when given). Idempotent."""
    if actor is not None:
        require_edit(actor, object_id="assemble")
        if actor.practice_id != practice_id:
            raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        lock_objects.lock_practice_assembly(practice_id=practice_id)
        with gc_paused():  # its rows are gone when it ends, so the collector has little to walk
            result = _assemble(practice_id, charge_set_ids, actor=actor, now=now)
        if result is None:
            return AssemblyResult(claim_ids=(), ready=0, draft=0)
        if actor is not None:
            audit_event_record(
                context=actor.audit,
                action=AuditEvent.Action.CREATE,
                category=Category.BILLING,
                practice_id=practice_id,
                object_type=OBJECT_TYPE,
                object_id="assemble",
                detail=f"claims={result.created};ready={result.ready};draft={result.draft}",
            )
    return result


def _assemble(
    practice_id: int, charge_set_ids: Sequence[int] | None, *, actor: PracticeAccess | None, now: datetime
) -> AssemblyResult | None:
    """Plan, number, scrub and save the claims (under the caller's lock); None: nothing to do."""
    charge_sets, people = _charge_sets(practice_id, charge_set_ids)
    if not charge_sets:
        return None
    terms = _terms(payer_policy_timelines(payer_pks={cs.payer_id for cs in charge_sets}))
    planned = plan_claims(charge_sets, _frequency(terms))
    duplicates = DuplicateIndex(_prior_lines(practice_id, planned))
    built = _unsaved_claims(practice_id, planned, people, terms, actor=actor, now=now)
    _scrub(built, planned, duplicates, now=now)
    claim_ids = tuple(_save(built, planned, actor=actor, now=now))
    ready = sum(1 for item in built if item.row["status"] == ClaimStatus.READY)
    return AssemblyResult(claim_ids=claim_ids, ready=ready, draft=len(built) - ready)
