"""Lists and searches record which patients they showed, so "who saw patient X" has an answer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from audit.chain_services import audit_chain_records, audit_chain_verify
from audit.domain.chain import shown_ids_text
from audit.models import AuditEvent
from audit.selectors import AuditEventFilters, audit_events_for_practice
from practice.access import practice_access_for
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ids", "text"),
    [((), ""), ((5,), ",5,"), ((12, 3, 12), ",3,12,")],
)
def test_shown_ids_are_stored_sorted_once_each_between_commas(ids, text):
    assert shown_ids_text(ids) == text


def _reads_about(viewer, patient_id):  # type: ignore[no-untyped-def]
    """Events about the patient, leaving out the auditor's own searches (they are events too)."""
    events = audit_events_for_practice(viewer=viewer, filters=AuditEventFilters(patient_id=patient_id))
    return [e for e in events if e.category != "audit_log"]


def test_the_patient_list_and_the_api_list_record_the_patients_on_the_page(practice, make_member, client_for):
    # given
    biller = make_member("biller", practice)
    patients = [PatientFactory(practice=practice) for _ in range(3)]
    client = client_for(biller)
    # when
    client.get(reverse("patients:list"))
    client.get(reverse("patients_api:list"), {"limit": 2})
    # then
    page_event, api_event = AuditEvent.objects.filter(action="list").order_by("seq")
    assert page_event.shown_patient_ids == shown_ids_text(p.pk for p in patients)
    ordered = sorted(patients, key=lambda p: (p.last_name, p.first_name, p.pk))
    assert api_event.shown_patient_ids == shown_ids_text(p.pk for p in ordered[:2])
    assert audit_chain_verify().ok is True


def test_who_saw_patient_x_finds_lists_and_searches_that_showed_them(practice, make_member, client_for):
    # given
    biller = make_member("biller", practice)
    compliance = make_member("compliance", practice)
    shown = PatientFactory(practice=practice, last_name="Zephyrine")
    PatientFactory(practice=practice, last_name="Other")
    not_shown = PatientFactory(practice=practice, last_name="Quillon")
    client = client_for(biller)
    results = client.post(reverse("patients:list"), {"q": "Zephyrine"})  # search by POST: no PHI in URLs
    client.get(results.url)
    viewer = practice_access_for(user=compliance, practice_id=practice.pk)
    assert viewer is not None
    # when
    about_shown = _reads_about(viewer, shown.pk)
    about_other = _reads_about(viewer, not_shown.pk)
    # then
    assert [(e.action, e.actor_username) for e in about_shown] == [("list", biller.username)]
    assert about_other == []


def test_a_patient_id_inside_another_id_does_not_match(practice, record_event, make_member):
    # given: a list that showed patient 123 only
    from audit.services import AuditContext, audit_event_record

    audit_event_record(
        context=AuditContext(actor_id=None, actor_username="x"),
        action="list",
        category="demographics",
        practice_id=practice.pk,
        shown_patient_ids=[123],
    )
    viewer = practice_access_for(user=make_member("compliance", practice), practice_id=practice.pk)
    assert viewer is not None
    # then
    for other in (12, 23, 1234):
        assert _reads_about(viewer, other) == []
    assert len(_reads_about(viewer, 123)) == 1


@pytest.mark.postgres
def test_editing_the_shown_patients_breaks_the_hash(practice, record_event):
    # given
    from audit.domain.chain import compute_hash
    from audit.keys import audit_chain_current_key

    record_event(practice_id=practice.pk)
    [record] = list(audit_chain_records())
    # then
    key = audit_chain_current_key().secret
    assert compute_hash(replace(record, shown_patient_ids=",9,"), secret=key) != record.hash
    assert compute_hash(record, secret=key) == record.hash
