"""The new scrubber checks on stored charges: the facts they need come through the selectors
(the other notes' rendering provider, the payer's kind, the note's place of service)."""

from __future__ import annotations

import pytest

from claims.services import charge_set_scrub
from core.domain.service_types import ServiceType
from payers.models import Payer
from tests.claims.conftest import charges_of, final_note
from tests.claims.services.test_override import override

pytestmark = pytest.mark.django_db


def codes(charge_set):
    return sorted({f["code"] for f in charge_set.findings})


def test_crisis_psychotherapy_after_psychotherapy_the_same_day_by_the_same_clinician(billing):
    # given: 45 minutes of psychotherapy in the morning
    first = charges_of(final_note(billing, minutes=45, hour=9))
    # when: the same clinician documents crisis psychotherapy that afternoon
    second = charges_of(
        final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=60, hour=13)
    )
    # then: the afternoon's charges name the morning's note
    assert first.status == "ready"
    conflict = next(f for f in second.findings if f["code"] == "same_day_conflict")
    assert conflict["message"].startswith(
        f"90839 and 90834 on Mon 9 Mar 2026 by the same provider (90834 captured, note {first.note_id})"
    )
    # and the morning's, scrubbed again, see the afternoon's
    assert "same_day_conflict" in codes(charge_set_scrub(access=billing.biller, charge_set_id=first.pk))


def test_a_medicaid_code_on_a_medicare_coverage(billing):
    # given: the patient's payer is Medicare
    Payer.objects.filter(pk=billing.medicaid.pk).update(kind="medicare")
    # when: a licensed clinician's behavioural health counselling (H0004) is captured
    charge_set = charges_of(
        final_note(billing, service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING, minutes=45)
    )
    # then
    assert "medicare_code_not_payable" in codes(charge_set)


def test_a_line_moved_to_another_place_of_service_than_the_notes_is_a_warning(billing):
    # given
    note = final_note(billing, minutes=45, place_of_service="11")
    line = charges_of(note).lines.get()
    # when: the biller moves the line to the patient's home
    result = override(billing, line, place_of_service="12", reason="Seen at home.")
    # then: ready (a warning), and the warning says what the note records
    assert (result.status, result.error_count, codes(result)) == ("ready", 0, ["pos_differs_from_note"])
