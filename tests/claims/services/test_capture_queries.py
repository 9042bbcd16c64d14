"""Capture reads a fixed number of queries per note (no N+1 over lines, sessions or providers).

Measured with pytest's transaction wrapper, so the count includes the test's two savepoint
statements around the capture's durable transaction, and the audit chain append (five
statements in audit.services)."""

from __future__ import annotations

import pytest

from claims.models import ChargeSet
from claims.services import charges_capture_for_note
from core.domain.service_types import ServiceType
from tests.claims.conftest import final_note

pytestmark = pytest.mark.django_db

# 29: 26, + the loaded ICD-10-CM years (read once per process every 5 minutes; tests clear that
# cache), + the eligibility check nearest the date and the practice's eligibility settings.
CAPTURE_MAX_QUERIES = 29


@pytest.mark.parametrize(
    ("_case", "author", "service_type", "minutes"),
    [
        ("LPC psychotherapy", "clinician", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, 45),
        ("RBT ABA with a supervisor", "tech", ServiceType.ABA_TECHNICIAN_TREATMENT, 60),
        ("crisis with an add-on line", "clinician", ServiceType.CRISIS_PSYCHOTHERAPY, 80),
    ],
)
def test_capture_of_one_note_runs_a_fixed_number_of_queries(
    billing, django_assert_max_num_queries, _case, author, service_type, minutes
):
    note = final_note(billing, author=author, service_type=service_type, minutes=minutes, capture=False)
    with django_assert_max_num_queries(CAPTURE_MAX_QUERIES):
        charges_capture_for_note(note_id=note.pk)
    assert ChargeSet.objects.filter(note=note).count() == 1


def test_the_days_fourth_note_costs_what_the_first_did(billing, django_assert_max_num_queries):
    for hour in (9, 10, 11):
        final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=20, hour=hour)
    note = final_note(
        billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=20, hour=12, capture=False
    )
    with django_assert_max_num_queries(CAPTURE_MAX_QUERIES):
        charges_capture_for_note(note_id=note.pk)
    assert ChargeSet.objects.filter(patient=billing.patient).count() == 4
