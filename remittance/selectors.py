"""Reads for posting and the remittance screens.

Posting reads a constant number of queries per file, not per claim: the billed claims of every
CLP01 in one query (lines prefetched: a second), the payers' contracted rates in one, and what
was posted earlier on those claims' lines in two more (`line_history`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.domain.capture import FeeEntry, fee_for
from claims.models import Claim, ClaimLine, ContractedRate
from core.errors import NotFound
from ledger.models import Account, LedgerEntry
from practice.models import Practice
from practice.selectors import practice_zone
from remittance.domain.line_match import EraLineFacts, best_guesses
from remittance.domain.posting import BilledClaim, BilledLine
from remittance.models import EraClaim, EraFile, EraLine, EraStatus, PostingException, ProviderLevelItem


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What posting needs about one of our claims beyond the billed lines."""

    claim_id: int
    patient_id: int
    payer_id: int
    payer_name: str
    line_ids: tuple[int, ...]


@dataclass(slots=True)
class Billed:
    claims: list[BilledClaim] = field(default_factory=list)
    facts: dict[int, ClaimFacts] = field(default_factory=dict)


def practice_for_payee(*, npi: str, tax_id: str) -> int | None:
    """The practice whose billing NPI or tax ID is the 835's payee, else the first practice."""
    digits = tax_id.replace("-", "")
    match = Practice.objects.filter(Q(billing_npi=npi) if npi else Q(pk__in=[])).order_by("pk").first()
    if match is None and digits:
        for practice in Practice.objects.order_by("pk"):
            if practice.tax_id.replace("-", "") == digits:
                return practice.pk
    if match is not None:
        return match.pk
    first = Practice.objects.order_by("pk").first()
    return first.pk if first is not None else None


def _contracted(
    rates: dict[tuple[int, str], list[FeeEntry]],
    payer_id: int,
    *,
    code: str,
    modifiers: tuple[str, ...],
    service_date: date,
    units: int,
) -> int | None:
    entries = rates.get((payer_id, code))
    if not entries:
        return None
    fee = fee_for(entries, payer_id=payer_id, code=code, modifiers=modifiers, on=service_date)
    # fee_for falls back to the practice's default schedule (payer None): only a payer's rate is
    # a contract.
    if fee.entry is None or fee.entry.payer_id is None:
        return None
    return fee.unit_cents * units


def billed_claims(*, practice_id: int, patient_control_numbers: set[str]) -> Billed:
    """Our claims whose CLM01 appears on the ERA, as the posting plan's plain values: two queries
    of plain rows (no model instances: an ERA names 10,000 claims and 30,000 lines)."""
    mine = Claim.objects.filter(practice_id=practice_id, patient_control_number__in=patient_control_numbers)
    claims = list(
        mine.order_by("pk").values_list(
            "pk", "patient_control_number", "patient_id", "payer_id", "payer__name"
        )
    )
    lines: dict[int, list[tuple[int, str, str, list[str], date, int, int]]] = defaultdict(list)
    if claims:
        for claim_id, *line in (
            ClaimLine.objects.filter(claim__in=mine)
            .order_by("claim_id", "line_number")
            .values_list(
                "claim_id",
                "pk",
                "line_control_number",
                "code",
                "modifiers",
                "service_date",
                "charge_cents",
                "units",
            )
        ):
            lines[claim_id].append(tuple(line))
    payer_ids = {c[3] for c in claims}
    rates: dict[tuple[int, str], list[FeeEntry]] = defaultdict(list)
    if payer_ids:
        for row in ContractedRate.objects.filter(practice_id=practice_id, payer_id__in=payer_ids):
            rates[(row.payer_id, row.code)].append(
                FeeEntry(
                    row.payer_id,
                    row.code,
                    row.modifiers_key,
                    row.amount_cents,
                    row.effective_from,
                    row.effective_to,
                )
            )
    billed = Billed()
    for claim_id, pcn, patient_id, payer_id, payer_name in claims:
        own = lines.get(claim_id, [])
        billed.claims.append(
            BilledClaim(
                str(claim_id),
                pcn,
                tuple(
                    BilledLine(
                        str(line_id),
                        control_number,
                        code,
                        tuple(modifiers),
                        service_date,
                        charge_cents,
                        _contracted(
                            rates,
                            payer_id,
                            code=code,
                            modifiers=tuple(modifiers),
                            service_date=service_date,
                            units=units,
                        ),
                    )
                    for line_id, control_number, code, modifiers, service_date, charge_cents, units in own
                ),
            )
        )
        billed.facts[claim_id] = ClaimFacts(
            claim_id, patient_id, payer_id, payer_name, tuple(line[0] for line in own)
        )
    return billed


@dataclass(slots=True)
class LineHistory:
    """What earlier ERAs did to one claim line (or to a claim without lines: key line None)."""

    adjudications: int = 0  # posted ERA lines, reversals counting -1
    denied_cents: int = 0  # the line's `denied` balance (a denial waiting for a decision)
    has_charge: bool = False


def line_history(*, claim_ids: list[int]) -> dict[tuple[int, int | None], LineHistory]:
    """Per (claim, line): adjudications net of reversals, denied balance, charge present."""
    history: dict[tuple[int, int | None], LineHistory] = defaultdict(LineHistory)
    if not claim_ids:
        return history
    posted = (
        EraLine.objects.filter(era_claim__claim_id__in=claim_ids, era_claim__state="posted")
        .values("era_claim__claim_id", "claim_line_id")
        .annotate(
            forward=Count("pk", filter=~Q(era_claim__status_code="22")),
            back=Count("pk", filter=Q(era_claim__status_code="22")),
        )
    )
    for row in posted:
        key = (row["era_claim__claim_id"], row["claim_line_id"])
        history[key].adjudications += row["forward"] - row["back"]
    money = (
        LedgerEntry.objects.filter(claim_id__in=claim_ids, account__in=[Account.DENIED, Account.INSURANCE])
        .values("claim_id", "claim_line_id", "account")
        .annotate(total=Sum("amount_cents"), charges=Count("pk", filter=Q(kind="charge")))
    )
    for row in money:
        key = (row["claim_id"], row["claim_line_id"])
        if row["account"] == Account.DENIED:
            history[key].denied_cents += row["total"] or 0
        if row["charges"]:
            history[key].has_charge = True
    return history


def prior_postings(*, claim_ids: list[int]) -> dict[int, list[EraClaim]]:
    """Posted, not yet reversed, non-reversal ERA claims per claim (oldest first): what a
    reversal (CLP02 22) takes back."""
    found: dict[int, list[EraClaim]] = defaultdict(list)
    if not claim_ids:
        return found
    rows = (
        EraClaim.objects.filter(claim_id__in=claim_ids, state="posted", reversed_by__isnull=True)
        .exclude(status_code="22")
        .annotate(line_count=Count("lines"))
        .order_by("pk")
    )
    for row in rows:
        assert row.claim_id is not None  # noqa: S101 (filtered)
        found[row.claim_id].append(row)
    return found


def era_for_payment(*, practice_id: int, payer_id: str, trace_number: str) -> EraFile | None:
    """The ERA that counts for this payment (posted or held), if any."""
    return (
        EraFile.objects.filter(
            practice_id=practice_id,
            payer_id=payer_id,
            trace_number=trace_number,
            status__in=["posted", "held"],
        )
        .order_by("pk")
        .first()
    )


# -- screens ----------------------------------------------------------------------------------------


# -- provider-level items (R10, R11) and the last ERA per payer (R19) ------------------------------
# No patient is named (PLB money is the practice's): not PHI-audited. The last ERA is derived
# from EraFile (any payment received: posted, held or a duplicate copy), never stored twice.

ERA_RECEIVED_STATUSES = (EraStatus.POSTED, EraStatus.HELD, EraStatus.DUPLICATE)


@dataclass(frozen=True, slots=True)
class ProviderItems:
    open: list[ProviderLevelItem]
    offset: list[ProviderLevelItem]


def provider_items_for_user(*, access: PracticeAccess, limit: int = 200) -> ProviderItems:
    """Open items by payer, oldest first, and the latest settled ones: offset (with both ERAs) or
    closed by hand (with who and why). Two queries."""
    access.require(Capability.BILLING_VIEW)
    base = ProviderLevelItem.objects.filter(practice_id=access.practice_id).select_related("era", "offset_by")
    base = base.defer("era__raw", "offset_by__raw")
    open_items = list(
        base.filter(status=ProviderLevelItem.Status.OPEN).order_by("payer_name", "created_at", "pk")[:limit]
    )
    settled = base.filter(status__in=[ProviderLevelItem.Status.OFFSET, ProviderLevelItem.Status.CLOSED])
    offset_items = list(
        settled.select_related("closed_by").order_by(Coalesce("offset_at", "closed_at").desc(), "-pk")[:limit]
    )
    return ProviderItems(open_items, offset_items)


def provider_items_open_count(*, practice_id: int) -> int:
    return ProviderLevelItem.objects.filter(
        practice_id=practice_id, status=ProviderLevelItem.Status.OPEN
    ).count()


def last_era_received(*, practice_id: int, payer_ids: Iterable[str]) -> dict[str, dt.datetime]:
    """When the practice last received an ERA from each electronic payer id (one query)."""
    wanted = {p for p in payer_ids if p}
    if not wanted:
        return {}
    rows = (
        EraFile.objects.filter(practice_id=practice_id, payer_id__in=wanted, status__in=ERA_RECEIVED_STATUSES)
        .values("payer_id")
        .annotate(last=Max("received_at"))
        .order_by()
    )
    return {row["payer_id"]: row["last"] for row in rows}


def last_era_received_on(*, practice_id: int, payer_ids: Iterable[str]) -> dict[str, dt.date]:
    """`last_era_received` as dates in the practice's time zone (two queries)."""
    received = last_era_received(practice_id=practice_id, payer_ids=payer_ids)
    if not received:
        return {}
    zone = practice_zone(practice_id=practice_id)
    return {payer_id: at.astimezone(zone).date() for payer_id, at in received.items()}


def _audit(
    access: PracticeAccess, *, detail: str, object_id: int | str = "", patient_ids: Iterable[int] = ()
) -> None:
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type="era",
        object_id=object_id,
        detail=detail,
        shown_patient_ids=patient_ids,
    )


def era_list_for_user(*, access: PracticeAccess, limit: int = 100) -> list[EraFile]:
    """The practice's ERAs, newest first (one query; no patient shown)."""
    access.require(Capability.BILLING_VIEW)
    return list(
        EraFile.objects.filter(practice_id=access.practice_id)
        .defer("raw")
        .order_by("-received_at", "-pk")[:limit]
    )


@dataclass(frozen=True, slots=True)
class EraDetail:
    era: EraFile
    claims: list[EraClaim]
    patients: dict[int, int]  # claim id -> patient id


def era_get_for_user(*, access: PracticeAccess, era_id: int) -> EraDetail:
    """One ERA with its claims, lines and exceptions (four queries), audited: it names patients."""
    access.require(Capability.BILLING_VIEW)
    era = EraFile.objects.filter(pk=era_id, practice_id=access.practice_id).defer("raw").first()
    if era is None:
        raise NotFound("No such ERA.")
    claims = list(
        EraClaim.objects.filter(era=era).prefetch_related("lines", "exceptions").order_by("position")
    )
    claim_ids = {c.claim_id for c in claims if c.claim_id is not None}
    patients = dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "patient_id"))
    _audit(
        access,
        detail=f"ERA {era.pk} ({len(claims)} claims)",
        object_id=era.pk,
        patient_ids=set(patients.values()),
    )
    return EraDetail(era, claims, patients)


def exception_queue_for_user(*, access: PracticeAccess, limit: int = 200) -> list[PostingException]:
    """Open posting exceptions, oldest first, with their ERA claim and line (one query)."""
    access.require(Capability.BILLING_VIEW)
    rows = list(
        PostingException.objects.filter(practice_id=access.practice_id, status="open")
        .select_related("era", "era_claim", "era_line")
        .defer("era__raw")
        .order_by("created_at", "pk")[:limit]
    )
    _audit(access, detail=f"posting exceptions ({len(rows)})")
    return rows


def claim_choices_for_match(*, practice_id: int, patient_control_number: str) -> list[tuple[int, str]]:
    """Claims a biller may match an ERA claim to: the practice's, by CLM01 prefix (max 20)."""
    rows = (
        Claim.objects.filter(
            practice_id=practice_id, patient_control_number__istartswith=patient_control_number
        )
        .order_by("patient_control_number")
        .values_list("pk", "patient_control_number")[:20]
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class LineMatchScreen:
    """What the line-by-line match form shows: the exception, its ERA lines, our claim (when
    known) with its billed lines, and the billed line pre-selected for each ERA line."""

    exception: PostingException
    era_lines: list[EraLine]
    claim_id: int | None
    claim_pcn: str
    billed: tuple[BilledLine, ...]
    guesses: dict[int, str | None]


def _era_line_facts(line: EraLine) -> EraLineFacts:
    code, modifiers = (
        (line.original_code, line.original_modifiers) if line.original_code else (line.code, line.modifiers)
    )
    return EraLineFacts(
        line.pk,
        code,
        tuple(m for m in modifiers.split("-") if m),
        line.service_date,
        line.charge_cents,
        line.control_number,
    )


def line_match_for_user(
    *, access: PracticeAccess, exception_id: int, claim_id: int | None
) -> LineMatchScreen:
    """An open exception's ERA claim and the billed lines of our claim, audited: it names a
    patient."""
    access.require(Capability.BILLING_VIEW)
    exception = (
        PostingException.objects.select_related("era_claim")
        .filter(pk=exception_id, practice_id=access.practice_id, status="open")
        .first()
    )
    if exception is None:
        raise NotFound("No such open exception.")
    era_lines = list(EraLine.objects.filter(era_claim_id=exception.era_claim_id).order_by("position"))
    # `claim_id` is the biller's choice for an ERA claim that matched none; else CLP01 decided.
    target = claim_id if exception.kind == "unmatched_claim" else exception.era_claim.claim_id
    pcn = (
        Claim.objects.filter(pk=target, practice_id=access.practice_id)
        .values_list("patient_control_number", flat=True)
        .first()
        if target is not None
        else None
    )
    found = billed_claims(practice_id=access.practice_id, patient_control_numbers={pcn}) if pcn else Billed()
    lines = found.claims[0].lines if found.claims else ()
    patients = {f.patient_id for f in found.facts.values()}
    _audit(
        access,
        detail=f"posting exception {exception.pk} (line match)",
        object_id=exception.era_id,
        patient_ids=patients,
    )
    return LineMatchScreen(
        exception=exception,
        era_lines=era_lines,
        claim_id=int(found.claims[0].claim_id) if found.claims else None,
        claim_pcn=pcn or "",
        billed=lines,
        guesses=best_guesses([_era_line_facts(line) for line in era_lines], lines),
    )
