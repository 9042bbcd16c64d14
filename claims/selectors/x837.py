"""Stored claims as the 837P builder's typed claims (`edi.x837p.Claim`), in a constant number of
queries whatever the number of claims: one for the claims with their practice, patient,
coverage, payer and providers (joined), one for all their lines.

The mapping never invents data: an empty member ID, a 5-digit billing ZIP or a missing NPI is
passed on as it is, and the builder's check (`edi.x837p.validate_claim`) names it; the
assembly stores that as a scrubber error (pitfall C11), so a claim with incomplete data never
becomes `ready` and never reaches a file.

Secondary/tertiary claims' other payers (2320/2330/2430) come from the earlier payers'
adjudications (claims.selectors.cob): `claims_837_inputs`, `claims_837_with_cob` and the batch
builder apply them; `claim_837` alone maps one claim without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Prefetch

from claims.models import Claim, ClaimLine
from claims.selectors.cob import claims_cob, with_cob
from core.domain.problems import Problem
from core.money import decimal_from_cents
from edi import x837p

# The practice's submitter identity (ISA06/1000A) and the clearinghouse (ISA08/1000B).
SUBMITTER_PREFIX = "PARITY"
RECEIVER_ID = "CLEARINGHOUSE"
RECEIVER_NAME = "CLEARINGHOUSE"

_CLAIM_RELATIONS = (
    "practice",
    "patient",
    "payer",
    "coverage",
    "rendering_provider",
    "supervising_provider",
)


def submitter_id(practice_id: int) -> str:
    return f"{SUBMITTER_PREFIX}{practice_id}"[:15]


def _address(line1: str, line2: str, city: str, state: str, postal_code: str) -> x837p.Address:
    return x837p.Address(
        line1=line1.upper(),
        line2=line2.upper(),
        city=city.upper(),
        state=state.upper(),
        postal_code=postal_code,
    )


def _clinician(provider: object) -> x837p.Clinician:
    return x837p.Clinician(
        last_name=str(getattr(provider, "last_name", "")).upper(),
        first_name=str(getattr(provider, "first_name", "")).upper(),
        npi=str(getattr(provider, "npi", "")),
        taxonomy=str(getattr(provider, "taxonomy_code", "")),
    )


def _line(row: Any, claim_pos: str) -> x837p.ServiceLine:
    return x837p.ServiceLine(
        procedure=row.code,
        charge=decimal_from_cents(row.charge_cents),
        service_date=row.service_date,
        diagnosis_pointers=tuple(int(p) for p in row.diagnosis_pointers),
        modifiers=tuple(str(m) for m in row.modifiers),
        units=Decimal(row.units),
        place_of_service=row.place_of_service if row.place_of_service != claim_pos else "",
        control_number=row.line_control_number,
    )


def _billing(practice: Any) -> x837p.BillingProvider:
    return x837p.BillingProvider(
        name=practice.legal_name.upper(),
        npi=practice.billing_npi,
        tax_id=practice.tax_id,
        address=_address(
            practice.address_line1,
            practice.address_line2,
            practice.city,
            practice.state,
            practice.postal_code,
        ),
        taxonomy=practice.taxonomy_code,
    )


# The builder's parties mapped so far, by (kind, pk): for one set of claims read together.
Parties = dict[tuple[str, object], Any]


def _shared(parties: Parties | None, kind: str, row: Any, build: Callable[[Any], Any]) -> Any:
    """`build(row)`, once per row when `parties` is given (claims of one read share the party)."""
    if parties is None:
        return build(row)
    key = (kind, row.pk)
    found = parties.get(key)
    if found is None:
        found = parties[key] = build(row)
    return found


def _payer(payer: Any) -> x837p.Payer:
    return x837p.Payer(name=payer.name.upper(), payer_id=payer.payer_id)


def claim_837(
    claim: Any, lines: Sequence[Any] | None = None, *, parties: Parties | None = None
) -> x837p.Claim:
    """One claim as the builder's claim: a `Claim` (relations loaded; its lines prefetched, or
    `lines` for a claim not saved yet) or a record of `claim_records_for_837`. With `parties`
    (one dict for claims read together), the practice, payer and providers are mapped once."""
    practice, patient, coverage, payer = claim.practice, claim.patient, claim.coverage, claim.payer
    billing = _shared(parties, "practice", practice, _billing)
    patient_person = x837p.Person(
        last_name=patient.last_name.upper(),
        first_name=patient.first_name.upper(),
        birth_date=patient.date_of_birth,
        gender=patient.sex or "U",
        address=_address(
            patient.address_line1, patient.address_line2, patient.city, patient.state, patient.postal_code
        ),
    )
    is_self = coverage.subscriber_relationship in {"", "18"}
    if is_self:
        subscriber_person = patient_person
        patient_loop: x837p.Person | None = None
    else:
        birth: date | None = coverage.subscriber_date_of_birth
        subscriber_person = x837p.Person(
            last_name=coverage.subscriber_last_name.upper(),
            first_name=coverage.subscriber_first_name.upper(),
            birth_date=birth,
            gender=coverage.subscriber_sex or "U",
            address=patient_person.address,  # the household's address (the coverage keeps none)
        )
        patient_loop = patient_person
    rendering_provider = claim.rendering_provider
    supervising: x837p.Clinician | None = None
    if claim.supervising_provider is not None:
        if claim.supervisor_billing == "supervisor_renders":
            rendering_provider = claim.supervising_provider
        else:  # the payer bills the performer under the supervisor: 2310D
            supervising = _shared(parties, "provider", claim.supervising_provider, _clinician)
    rows = claim.lines.all() if lines is None else lines
    service_lines = tuple(_line(row, claim.place_of_service) for row in rows)
    return x837p.Claim(
        claim_id=claim.patient_control_number,
        billing_provider=billing,
        subscriber=x837p.Subscriber(
            person=subscriber_person,
            member_id=coverage.member_id,
            group_number=coverage.group_number,
            claim_filing=payer.claim_filing_indicator or "CI",
        ),
        payer=_shared(parties, "payer", payer, _payer),
        diagnoses=tuple(str(code) for code in claim.diagnoses),
        lines=service_lines,
        place_of_service=claim.place_of_service,
        frequency=claim.frequency,
        payer_claim_control_number=claim.payer_claim_number if claim.frequency != "1" else "",
        prior_authorization=claim.prior_auth_number,
        patient=patient_loop,
        patient_relationship=(coverage.subscriber_relationship or "19") if patient_loop else "19",
        responsibility=claim.responsibility,
        rendering=_shared(parties, "provider", rendering_provider, _clinician),
        supervising=supervising,
    )


def claims_for_837(claim_ids: Iterable[int]) -> list[Claim]:
    """The claims as model instances with everything the 837 needs loaded (two queries), in the
    order of the ids (for screens that need the rows; bulk paths use `claim_records_for_837`)."""
    ids = list(dict.fromkeys(claim_ids))
    rows = {
        claim.pk: claim
        for claim in Claim.objects.filter(pk__in=ids)
        .select_related(*_CLAIM_RELATIONS)
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_number")))
    }
    return [rows[pk] for pk in ids if pk in rows]


_OWN = (
    "pk", "practice_id", "patient_control_number", "frequency", "payer_claim_number", "prior_auth_number",
    "responsibility", "supervisor_billing", "place_of_service", "diagnoses", "total_cents",
    "supervising_provider_id",
)  # fmt: skip
RELATED_FIELDS = {
    "practice": ("legal_name", "billing_npi", "tax_id", "address_line1", "address_line2", "city", "state",
                 "postal_code", "taxonomy_code", "phone"),
    "patient": ("last_name", "first_name", "date_of_birth", "sex", "address_line1", "address_line2", "city",
                "state", "postal_code"),
    "coverage": ("subscriber_relationship", "subscriber_first_name", "subscriber_last_name",
                 "subscriber_date_of_birth", "subscriber_sex", "member_id", "group_number"),
    "payer": ("name", "payer_id", "claim_filing_indicator"),
    "rendering_provider": ("last_name", "first_name", "npi", "taxonomy_code"),
    "supervising_provider": ("last_name", "first_name", "npi", "taxonomy_code"),
}  # fmt: skip
_LINE = (
    "claim_id", "code", "charge_cents", "service_date", "diagnosis_pointers", "modifiers", "units",
    "place_of_service", "line_control_number",
)  # fmt: skip
_RELATED_COLUMNS = tuple(
    (rel, f"{rel}_id", tuple((name, f"{rel}__{name}") for name in names))
    for rel, names in RELATED_FIELDS.items()
)


def attach_related(
    record: SimpleNamespace, row: Mapping[str, Any], shared: dict[tuple[str, object], SimpleNamespace]
) -> None:
    """Set `record.<relation>` for each of RELATED_FIELDS from a row of values (`<relation>_id`,
    `<relation>__<field>`): a plain record per related row (with its `pk`), one for all the
    records that name it (`shared`), or None."""
    for rel, id_column, columns in _RELATED_COLUMNS:
        key = row[id_column]
        if key is None:
            setattr(record, rel, None)
            continue
        value = shared.get((rel, key))
        if value is None:
            value = shared[(rel, key)] = SimpleNamespace(
                pk=key, **{name: row[column] for name, column in columns}
            )
        setattr(record, rel, value)


@dataclass(slots=True)
class _Lines:
    rows: list[SimpleNamespace]

    def all(self) -> list[SimpleNamespace]:
        return self.rows


def claim_records_for_837(claim_ids: Iterable[int]) -> list[Any]:
    """The claims as light records carrying exactly what `claim_837` and the file read (the same
    attribute names as the models: `claim.practice.legal_name`, `claim.lines.all()`), from two
    queries of plain values: no model instances, so 10,000 claims load in a fraction of the
    time. Practices, payers, providers, patients and coverages are shared between the records
    that name them."""
    ids = list(dict.fromkeys(claim_ids))
    fields = [*_OWN, *(f"{rel}__{name}" for rel, names in RELATED_FIELDS.items() for name in names)]
    fields += [f"{rel}_id" for rel in RELATED_FIELDS if f"{rel}_id" not in _OWN]
    shared: dict[tuple[str, object], SimpleNamespace] = {}
    records: dict[int, SimpleNamespace] = {}
    for row in Claim.objects.filter(pk__in=ids).values(*fields):
        record = SimpleNamespace(**{name: row[name] for name in _OWN})
        attach_related(record, row, shared)
        record.lines = _Lines([])
        records[row["pk"]] = record
    for line in (
        ClaimLine.objects.filter(claim_id__in=list(records))
        .order_by("claim_id", "line_number")
        .values(*_LINE)
    ):
        records[line["claim_id"]].lines.rows.append(SimpleNamespace(**line))
    return [records[pk] for pk in ids if pk in records]


def claims_837_inputs(claim_ids: Iterable[int]) -> list[x837p.Claim]:
    """The builder's claims for `claim_ids` (ids not found are left out), with the COB loops of
    secondary/tertiary claims: two queries, plus a constant few when there are secondaries."""
    records = claim_records_for_837(claim_ids)
    cobs = claims_cob(records)
    parties: Parties = {}
    return [with_cob(claim_837(claim, parties=parties), claim, cobs) for claim in records]


@dataclass(frozen=True, slots=True)
class Claim837:
    claim: Claim
    x837: x837p.Claim
    cob_problems: list[Problem]


def claims_837_with_cob(claim_ids: Iterable[int]) -> list[Claim837]:
    """Each claim (a model instance), its builder claim (COB loops applied) and what stops its
    COB data."""
    claims = claims_for_837(claim_ids)
    cobs = claims_cob(claims)
    return [
        Claim837(
            claim=claim,
            x837=with_cob(claim_837(claim), claim, cobs),
            cob_problems=cobs[claim.pk].problems if claim.pk in cobs else [],
        )
        for claim in claims
    ]


def claim_ids_to_export(*, practice_id: int | None, every_claim: bool) -> dict[int, list[int]]:
    """Practice id -> claim ids for an 837 export (one query): the `ready` claims, or with
    `every_claim` every claim built so far (any status, every version), oldest first."""
    rows = Claim.objects.all() if every_claim else Claim.objects.filter(status="ready")
    if practice_id is not None:
        rows = rows.filter(practice_id=practice_id)
    found: dict[int, list[int]] = {}
    for practice, pk in rows.order_by("practice_id", "pk").values_list("practice_id", "pk"):
        found.setdefault(practice, []).append(pk)
    return found
