"""The 837P file of a claim batch: claims rows mapped to `edi.x837p` and built with control
numbers from the database counter (ISA13 = GS06, never reused: pitfall C16).

Interim mapping (claims-core's `claims/selectors/x837.py` replaces `claim_inputs` when it
lands): billing provider from the practice, subscriber from the coverage (the patient when
self), rendering and supervising providers, lines with REF*6R, prior auth, REF*F8.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from claims.models import Claim, ClaimLine
from core.money import decimal_from_cents
from edi import x837p
from edi.x270 import Envelope
from eligibility.services import next_control_number

COUNTER = "interchange"  # the one ISA13 counter (shared with eligibility: unique per submitter)
CLAIMS_PER_TRANSACTION = 5000  # the guide's recommended maximum of CLM per ST


@dataclass(frozen=True, slots=True)
class BuiltFile:
    x12: str
    interchange_control_number: int
    claim_count: int


def _address(line1: str, line2: str, city: str, state: str, postal: str) -> x837p.Address:
    return x837p.Address(
        line1=line1, line2=line2, city=city, state=state, postal_code=postal.replace("-", "")
    )


def _clinician(provider: object | None) -> x837p.Clinician | None:
    if provider is None:
        return None
    npi = getattr(provider, "npi", "")
    if not npi:
        return None
    return x837p.Clinician(
        last_name=provider.last_name,  # type: ignore[attr-defined]
        first_name=provider.first_name,  # type: ignore[attr-defined]
        npi=npi,
        taxonomy=getattr(provider, "taxonomy_code", ""),
    )


def _line(line: ClaimLine, claim: Claim) -> x837p.ServiceLine:
    return x837p.ServiceLine(
        procedure=line.code,
        charge=decimal_from_cents(line.charge_cents),
        service_date=line.service_date,
        diagnosis_pointers=tuple(int(p) for p in (line.diagnosis_pointers or [1])),
        modifiers=tuple(line.modifiers or ()),
        units=Decimal(line.units),
        place_of_service="" if line.place_of_service == claim.place_of_service else line.place_of_service,
        control_number=line.line_control_number,
    )


def claim_inputs(claim_ids: Sequence[int]) -> list[x837p.Claim]:
    """The typed 837 claims for `claim_ids` (constant queries: joins and one prefetch)."""
    claims = (
        Claim.objects.filter(pk__in=claim_ids)
        .select_related(
            "practice", "patient", "payer", "coverage", "rendering_provider", "supervising_provider"
        )
        .prefetch_related("lines")
        .order_by("pk")
    )
    result = []
    for claim in claims:
        practice, patient, coverage, payer = claim.practice, claim.patient, claim.coverage, claim.payer
        patient_person = x837p.Person(
            last_name=patient.last_name,
            first_name=patient.first_name,
            birth_date=patient.date_of_birth,
            gender=patient.sex or "U",
            address=_address(
                patient.address_line1, patient.address_line2, patient.city, patient.state, patient.postal_code
            ),
        )
        is_self = coverage.subscriber_relationship == "18"
        subscriber_person = (
            patient_person
            if is_self
            else x837p.Person(
                last_name=coverage.subscriber_last_name,
                first_name=coverage.subscriber_first_name,
                birth_date=coverage.subscriber_date_of_birth,
                gender=coverage.subscriber_sex or "U",
                address=patient_person.address,
            )
        )
        result.append(
            x837p.Claim(
                claim_id=claim.patient_control_number,
                billing_provider=x837p.BillingProvider(
                    name=practice.legal_name,
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
                ),
                subscriber=x837p.Subscriber(
                    person=subscriber_person,
                    member_id=coverage.member_id,
                    group_number=coverage.group_number,
                    claim_filing=payer.claim_filing_indicator,
                ),
                payer=x837p.Payer(name=payer.name, payer_id=payer.payer_id),
                diagnoses=tuple(claim.diagnoses),
                lines=tuple(_line(line, claim) for line in claim.lines.all()),
                place_of_service=claim.place_of_service,
                frequency=claim.frequency,
                payer_claim_control_number=claim.payer_claim_number if claim.frequency != "1" else "",
                prior_authorization=claim.prior_auth_number,
                patient=None if is_self else patient_person,
                patient_relationship=coverage.subscriber_relationship,
                responsibility=claim.responsibility,
                rendering=_clinician(claim.rendering_provider),
                supervising=_clinician(claim.supervising_provider),
            )
        )
    return result


def batch_837_build(*, practice_id: int, claim_ids: Sequence[int], reference: str) -> BuiltFile:
    """The 837P of `claim_ids` with a fresh interchange control number (ISA13 = GS06)."""
    from practice.models import Practice

    practice = Practice.objects.get(pk=practice_id)
    claims = claim_inputs(claim_ids)
    control = next_control_number(COUNTER)
    sandbox = str(settings.CLAIMS_CLEARINGHOUSE or settings.ELIGIBILITY_CLEARINGHOUSE) != "sftp"
    envelope = Envelope(
        sender_id=f"PARITY{practice_id}"[:15],
        receiver_id="CLEARINGHOUSE",
        interchange_control_number=control,
        group_control_number=control,
        created=timezone.localtime(timezone.now()).replace(tzinfo=None),
        usage="T" if sandbox else "P",
    )
    phone = "".join(ch for ch in practice.phone if ch.isdigit())[-10:] or "5555550100"
    batch = x837p.Batch(
        submitter=x837p.Party(
            name=practice.legal_name,
            identifier=f"PARITY{practice_id}",
            contact_name="BILLING OFFICE",
            contact_phone=phone if len(phone) == 10 else "5555550100",
        ),
        receiver=x837p.Party(name="CLEARINGHOUSE", identifier="CLEARINGHOUSE"),
        claims=tuple(claims),
        reference=reference,
        max_per_transaction=CLAIMS_PER_TRANSACTION,
    )
    return BuiltFile(x837p.build_837p(batch, envelope), control, len(claims))
