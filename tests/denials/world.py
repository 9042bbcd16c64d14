"""A small practice for denial tests: a biller, an admin, a clinician, a payer with a 60-day
appeal window, a patient with coverage, and helpers that record a payer's adjudication (rows
as the claims app stores them) and open its denials through the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.models import User
from claims.models import Claim, ClaimAdjudication, ClaimLine, ClaimLineAdjudication
from denials import services
from denials.models import Denial
from practice.access import practice_access_for
from practice.models import Practice, Provider
from remittance.models import EraClaim, EraFile, EraLine
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, ProviderFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory

ERA_DATE = dt.date(2026, 11, 20)


@dataclass
class World:
    practice: Practice
    biller: User
    admin: User
    clinician: User
    provider: Provider
    payer: Any
    coverage: Any
    counter: int = 0

    def access(self, user: User) -> PracticeAccess:
        access = practice_access_for(user=user, practice_id=self.practice.pk)
        assert access is not None
        return access

    def claim(
        self, *, code: str = "90837", charge_cents: int = 15000, lines: int = 1, status: str = "denied"
    ) -> Claim:
        self.counter += 1
        claim: Claim = ClaimFactory(  # type: ignore[assignment]
            coverage=self.coverage,
            rendering_provider=self.provider,
            status=status,
            total_cents=charge_cents * lines,
            payer_claim_number=f"PAYER{self.counter}X{lines}{code}",
        )
        for number in range(1, lines + 1):
            ClaimLineFactory(claim=claim, line_number=number, code=code, charge_cents=charge_cents)
        return claim

    def adjudicate(
        self,
        claim: Claim,
        *,
        adjustments: list[tuple[str, str, int]],
        paid_cents: int = 0,
        remarks: tuple[str, ...] = (),
        claim_adjustments: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
        era_date: dt.date = ERA_DATE,
        reference: str | None = None,
    ) -> ClaimAdjudication:
        self.counter += 1
        adjudication = ClaimAdjudication.objects.create(
            claim=claim,
            era_reference=reference or f"test:{self.counter}",
            claim_status_code="4" if not paid_cents else "1",
            charge_cents=claim.total_cents,
            paid_cents=paid_cents,
            adjustments=[
                {"group": g, "reason": r, "cents": c, "quantity": None} for g, r, c in claim_adjustments
            ],
            adjudicated_on=era_date,
            recorded_at=timezone.now(),
        )
        line: ClaimLine
        for line in claim.lines.all():
            ClaimLineAdjudication.objects.create(
                adjudication=adjudication,
                claim_line=line,
                code=line.code,
                charge_cents=line.charge_cents,
                paid_cents=paid_cents,
                adjustments=[
                    {"group": g, "reason": r, "cents": c, "quantity": None} for g, r, c in adjustments
                ],
                remarks=list(remarks),
                adjudicated_on=era_date,
            )
        return adjudication

    def era(
        self,
        claims: list[tuple[Claim, list[tuple[str, str, int]], int]],
        *,
        remarks: tuple[str, ...] = (),
        claim_adjustments: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
        status_code: str = "4",
        payment_date: dt.date = ERA_DATE,
    ) -> EraFile:
        """An ERA as posting stores it: one CLP per (claim, line adjustments, line paid cents)."""
        self.counter += 1
        era = EraFile.objects.create(
            practice=self.practice,
            raw=b"ISA*synthetic~",
            sha256=f"{self.counter:064d}",
            status="posted",
            payer_id="ACME1",
            trace_number=f"TRN{self.counter}",
            payment_date=payment_date,
            received_at=timezone.now(),
        )
        for position, (claim, adjustments, paid) in enumerate(claims, start=1):
            era_claim = EraClaim.objects.create(
                era=era,
                position=position,
                patient_control_number=claim.patient_control_number,
                status_code=status_code,
                charge_cents=claim.total_cents,
                paid_cents=paid,
                adjustments=[
                    {"group": g, "reason": r, "cents": c, "quantity": None} for g, r, c in claim_adjustments
                ],
                claim_id=claim.pk,
                state="posted",
            )
            for number, line in enumerate(claim.lines.all(), start=1):
                EraLine.objects.create(
                    era_claim=era_claim,
                    position=number,
                    code=line.code,
                    charge_cents=line.charge_cents,
                    paid_cents=paid,
                    adjustments=[
                        {"group": g, "reason": r, "cents": c, "quantity": None} for g, r, c in adjustments
                    ],
                    remarks=list(remarks),
                    control_number=line.line_control_number,
                    claim_line_id=line.pk,
                    match_reason="REF*6R",
                )
        return era

    def denial(
        self,
        *,
        group: str = "CO",
        carc: str = "50",
        cents: int = 15000,
        code: str = "90837",
        remarks: tuple[str, ...] = (),
        era_date: dt.date = ERA_DATE,
    ) -> Denial:
        claim = self.claim(code=code, charge_cents=cents)
        adjudication = self.adjudicate(
            claim, adjustments=[(group, carc, cents)], remarks=remarks, era_date=era_date
        )
        services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
        return Denial.objects.get(claim=claim)


def make_world(make_member: Any, practice: Practice) -> World:
    biller = make_member("biller", practice)
    admin = make_member("practice_admin", practice)
    clinician = make_member("clinician", practice, provider=True)
    provider: Provider = ProviderFactory(practice=practice, first_name="Dana", last_name="Reyes")  # type: ignore[assignment]
    payer = PayerFactory(practice=practice, name="Acme Health", appeal_window_days=60)
    patient = PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    coverage = CoverageFactory(patient=patient, payer=payer, member_id="M123456")
    return World(practice, biller, admin, clinician, provider, payer, coverage)
