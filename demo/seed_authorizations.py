"""Demo prior authorizations, through the authorizations service: one healthy (with a cap on the
BCBA's protocol modification, 97155, within its total, as Medicaid ABA authorizations often
have), one nearly used up and one about to expire, so the list shows each alert. Idempotent by
patient and payer."""

from __future__ import annotations

import datetime as dt

from accounts.access import PracticeAccess
from authorizations.domain.types import CapDetails
from authorizations.selectors import authorization_facts_for
from authorizations.services import authorization_create
from payers.models import Payer

ABA_CODES = ("97153", "H2019", "97155", "97151")


def seed_authorizations(
    *,
    access: PracticeAccess,
    payers: dict[str, Payer],
    teams: dict[str, list[str]],
    patient_ids: dict[str, int],
    today: dt.date,
) -> int:
    medicaid = payers["medicaid"]
    aba_accounts = [acct for acct, team in sorted(teams.items()) if "rbt" in team][:3]
    shapes = [
        # (authorized units, days since start, days until end, caps within the total)
        (480, 60, 120, (CapDetails(("97155",), 48),)),
        (46, 80, 100, ()),  # nearly used up by the seeded sessions: the list shows the alert
        (300, 170, 10, ()),
    ]
    created = 0
    for index, (account, (units, since, until, caps)) in enumerate(
        zip(aba_accounts, shapes, strict=False), start=1
    ):
        patient_id = patient_ids[account]
        if authorization_facts_for(patient_id=patient_id, payer_id=medicaid.pk):
            continue
        authorization_create(
            access=access,
            patient_id=patient_id,
            payer_id=medicaid.pk,
            number=f"KCC-PA-{2026_0000 + index}",
            codes=ABA_CODES,
            authorized=units,
            start_on=today - dt.timedelta(days=since),
            end_on=today + dt.timedelta(days=until),
            notes="Adaptive behavior treatment, 6-month authorization (demo).",
            caps=caps,
        )
        created += 1
    return created
