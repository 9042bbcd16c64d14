"""Contracted (allowed) amounts and the all-or-nothing fee import (service and command)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from claims.models import ContractedRate, FeeScheduleEntry
from claims.selectors.fees import allowed_amount, billed_fee, fee_table
from claims.services import FeeKind, contracted_rate_set, fees_import
from core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

HEADER = "code,modifiers,amount,effective_from,effective_to\n"


def test_allowed_amount_is_effective_dated_and_modifier_specific(billing) -> None:  # type: ignore[no-untyped-def]
    payer = billing.commercial.pk
    contracted_rate_set(access=billing.admin, payer_id=payer, code="90834", amount_cents=9500,
                        effective_from=dt.date(2026, 1, 1), effective_to=dt.date(2026, 6, 30))  # fmt: skip
    contracted_rate_set(access=billing.admin, payer_id=payer, code="90834", amount_cents=9800,
                        effective_from=dt.date(2026, 7, 1))  # fmt: skip
    contracted_rate_set(access=billing.admin, payer_id=payer, code="90834", modifiers=["95"], amount_cents=9000,
                        effective_from=dt.date(2026, 1, 1))  # fmt: skip
    at = billing.practice.pk

    def allowed(on: dt.date, modifiers: tuple[str, ...] = ()) -> Decimal | None:
        return allowed_amount(practice_id=at, payer_id=payer, code="90834", modifiers=modifiers, on=on)

    assert allowed(dt.date(2025, 12, 31)) is None
    assert allowed(dt.date(2026, 1, 1)) == Decimal("95.00")
    assert allowed(dt.date(2026, 6, 30)) == Decimal("95.00")
    assert allowed(dt.date(2026, 7, 1)) == Decimal("98.00")
    assert allowed(dt.date(2026, 3, 1), ("95",)) == Decimal("90.00")
    assert allowed(dt.date(2026, 3, 1), ("HO",)) == Decimal("95.00")  # falls back to any modifiers
    assert (
        allowed_amount(practice_id=at, payer_id=billing.medicaid.pk, code="90834", on=dt.date(2026, 3, 1))
        is None
    )
    kinds = {(r.kind, r.code, r.payer_name) for r in fee_table(practice_id=at)}
    assert ("allowed", "90834", "Acme Commercial") in kinds
    assert ("billed", "90834", "") in kinds


def test_allowed_amount_needs_a_payer_and_an_editor(billing) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        contracted_rate_set(access=billing.admin, payer_id=999999, code="90834", amount_cents=1,
                            effective_from=dt.date(2026, 1, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        contracted_rate_set(access=billing.access(billing.clinic.clinician_user), payer_id=billing.commercial.pk,
                            code="90834", amount_cents=1, effective_from=dt.date(2026, 1, 1))  # fmt: skip
    assert not ContractedRate.objects.exists()


def test_import_allowed_amounts_then_again_changes_nothing(billing) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + "90834,,95.00,2026-01-01,\n90837,95,130.50,2026-01-01,2026-12-31\n"
    payer = billing.commercial.pk
    before = AuditEvent.objects.count()
    assert fees_import(access=billing.biller, kind=FeeKind.ALLOWED, payer_id=payer, text=text) == 2
    assert AuditEvent.objects.count() == before + 2
    assert fees_import(access=billing.biller, kind=FeeKind.ALLOWED, payer_id=payer, text=text) == 0
    rows = sorted(ContractedRate.objects.values_list("code", "modifiers_key", "amount_cents", "effective_to"))
    assert rows == [("90834", "", 9500, None), ("90837", "95", 13050, dt.date(2026, 12, 31))]


def test_import_is_all_or_nothing_with_line_numbers(billing) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + "90834,,95.00,2026-01-01,\n99999,,1.00,2026-01-01,\n"  # 99999: not in the code set
    with pytest.raises(ValidationFailed) as failed:
        fees_import(access=billing.biller, kind=FeeKind.ALLOWED, payer_id=billing.commercial.pk, text=text)
    assert [p["message"] for p in failed.value.extra["problems"]] == [
        "Line 3: 99999 is not a CPT/HCPCS code on 2026-01-01."
    ]
    assert not ContractedRate.objects.exists()


def test_import_allowed_without_payer_is_refused(billing) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        fees_import(
            access=billing.biller, kind=FeeKind.ALLOWED, payer_id=None, text=HEADER + "90834,,1,2026-01-01,\n"
        )


def test_import_billed_fees_into_the_default_schedule(billing) -> None:  # type: ignore[no-untyped-def]
    fees_import(
        access=billing.admin, kind=FeeKind.BILLED, payer_id=None, text=HEADER + "90791,,210.00,2026-01-01,\n"
    )
    assert FeeScheduleEntry.objects.get(code="90791", payer__isnull=True).amount_cents == 21000
    assert billed_fee(practice_id=billing.practice.pk, code="90791", on=dt.date(2026, 3, 9)) == Decimal(
        "210.00"
    )


def test_command_imports_and_reports(billing, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "fees.csv"
    good.write_text(HEADER + "90834,,95.00,2026-01-01,\n")
    call_command("import_fees", str(good), "--kind", "allowed", "--payer", "Acme Commercial",
                 "--user", billing.clinic.biller_user.username)  # fmt: skip
    assert "Imported 1 row(s) (allowed)." in capsys.readouterr().out
    assert ContractedRate.objects.get().payer_id == billing.commercial.pk


def test_command_fails_with_every_bad_line_and_saves_nothing(billing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "fees.csv"
    bad.write_text(HEADER + "90834,,95.00,2026-01-01,\n90837,,abc,2026-01-01,\n90832,,1,2026-13-01,\n")
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_fees", str(bad), "--kind", "billed", "--user", billing.clinic.admin_user.username
        )
    message = str(failed.value)
    assert "Line 3: amount 'abc'" in message
    assert "Line 4: effective_from '2026-13-01'" in message
    assert not FeeScheduleEntry.objects.filter(code="90834", effective_from=dt.date(2026, 1, 1)).exists()


def test_command_refuses_a_user_who_may_not_edit_fees(billing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "fees.csv"
    good.write_text(HEADER + "90834,,95.00,2026-01-01,\n")
    with pytest.raises(CommandError, match="may not edit fees"):
        call_command(
            "import_fees", str(good), "--kind", "billed", "--user", billing.clinic.clinician_user.username
        )
