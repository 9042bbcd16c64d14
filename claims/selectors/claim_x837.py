"""A stored claim as the 837P's typed claim (edi.x837p.Claim), for the screens' preview and the
CMS-1500: from a claim loaded by `claim_screens.claim_get` (practice, patient, payer, coverage,
providers joined; lines prefetched), so no query runs here.

TODO(claims-core merge): when claims.selectors.x837.claims_837_inputs is on main, the screens
call it instead (one mapping for batches, the preview and the paper form); this adapter covers
primary claims only (a secondary's COB loops come from that mapping).
"""

from __future__ import annotations

from decimal import Decimal

from claims.models import Claim
from core.money import decimal_from_cents
from edi import x837p


def _address(line1: str, line2: str, city: str, state: str, postal_code: str) -> x837p.Address:
    return x837p.Address(line1=line1, line2=line2, city=city, state=state, postal_code=postal_code)


def _clinician(provider: object) -> x837p.Clinician:
    return x837p.Clinician(
        last_name=getattr(provider, "last_name", ""),
        first_name=getattr(provider, "first_name", ""),
        npi=getattr(provider, "npi", ""),
        taxonomy=getattr(provider, "taxonomy_code", ""),
    )


def claim_as_837(claim: Claim) -> x837p.Claim:
    practice, patient, coverage, payer = claim.practice, claim.patient, claim.coverage, claim.payer
    home = _address(
        patient.address_line1, patient.address_line2, patient.city, patient.state, patient.postal_code
    )
    patient_person = x837p.Person(
        last_name=patient.last_name,
        first_name=patient.first_name,
        birth_date=patient.date_of_birth,
        gender=patient.sex if patient.sex in {"F", "M"} else "U",
        address=home,
    )
    is_self = coverage.subscriber_relationship in {"", "18"}
    insured = (
        patient_person
        if is_self
        else x837p.Person(
            last_name=coverage.subscriber_last_name,
            first_name=coverage.subscriber_first_name,
            birth_date=coverage.subscriber_date_of_birth,
            gender=coverage.subscriber_sex if coverage.subscriber_sex in {"F", "M"} else "U",
            address=home,
        )
    )
    lines = tuple(
        x837p.ServiceLine(
            procedure=line.code,
            charge=decimal_from_cents(line.charge_cents),
            service_date=line.service_date,
            diagnosis_pointers=tuple(int(p) for p in line.diagnosis_pointers),
            modifiers=tuple(line.modifiers),
            units=Decimal(line.units),
            place_of_service=line.place_of_service,
            control_number=line.line_control_number,
        )
        for line in claim.lines.all()
    )
    payer_address = (
        _address(payer.address_line1, payer.address_line2, payer.city, payer.state, payer.postal_code)
        if payer.address_line1 and payer.city
        else None
    )
    return x837p.Claim(
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
            person=insured,
            member_id=coverage.member_id,
            group_number=coverage.group_number,
            claim_filing=payer.claim_filing_indicator,
        ),
        payer=x837p.Payer(name=payer.name, payer_id=payer.payer_id, address=payer_address),
        diagnoses=tuple(str(code) for code in claim.diagnoses),
        lines=lines,
        place_of_service=claim.place_of_service,
        frequency=claim.frequency,
        payer_claim_control_number=claim.payer_claim_number if claim.frequency != "1" else "",
        prior_authorization=claim.prior_auth_number,
        patient=None if is_self else patient_person,
        patient_relationship="19" if is_self else coverage.subscriber_relationship,
        responsibility=claim.responsibility,
        rendering=_clinician(claim.rendering_provider),
        supervising=_clinician(claim.supervising_provider) if claim.supervising_provider_id else None,
    )
