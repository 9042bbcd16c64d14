"""`manage.py era_import FILE [--practice ID] [--json]`: the issue's summary; the practice from
the payee's NPI; a malformed file exits non-zero with its located error and is kept rejected."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from remittance.models import EraFile
from tests.edi.samples_835 import PAID, envelope
from tests.factories import PracticeFactory
from tests.remittance.world import World

pytestmark = pytest.mark.django_db


def test_json_summary_and_practice_from_the_payee_npi(tmp_path, capsys):
    # given: the first practice is another one; the payee NPI 1234567893 is the second's
    PracticeFactory()
    practice = PracticeFactory(billing_npi="1234567893")
    World(practice).sample_claims()
    path = tmp_path / "paid.835"
    path.write_text(envelope(PAID))
    # when
    call_command("era_import", str(path), "--json")
    # then
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "status": "posted",
        "trace_number": "EFT1001",
        "payment_amount": "213.66",
        "claims": 3,
        "matched": 3,
        "unmatched": 0,
        "paid_total": "250.00",
        "adjustment_totals": {"CO": "160.00", "PR": "160.00"},
        "denied_claims": 0,
        "balanced": True,
        "errors": [],
    }
    assert EraFile.objects.get().practice == practice


def test_twice_prints_duplicate(tmp_path, capsys, practice):
    path = tmp_path / "paid.835"
    path.write_text(envelope(PAID))
    call_command("era_import", str(path), "--practice", str(practice.pk), "--json")
    capsys.readouterr()
    call_command("era_import", str(path), "--practice", str(practice.pk), "--json")
    assert json.loads(capsys.readouterr().out)["status"] == "duplicate"


def test_malformed_file_exits_non_zero_with_a_located_error(tmp_path, capsys, practice):
    path = tmp_path / "bad.835"
    text = envelope(PAID).replace("SVC*HC:90785*100.00", "SVC*HC:90785*1O0.00")
    path.write_text(text)
    with pytest.raises(CommandError, match="rejected: .*segment"):
        call_command("era_import", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "rejected"
    assert out["errors"][0]["segment"] == "SVC"
    assert out["errors"][0]["position"] == text.index("SVC*HC:90785")
    assert EraFile.objects.get().status == "rejected"


def test_human_output(tmp_path, capsys, practice):
    path = tmp_path / "paid.835"
    path.write_text(envelope(PAID))
    call_command("era_import", str(path), "--practice", str(practice.pk))
    assert (
        "posted, trace EFT1001, payment 213.66, claims 3 (matched 0, unmatched 3)" in capsys.readouterr().out
    )
