"""The charges API: shapes, filters, override with reason, re-scrub, permissions, query counts."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from claims.models import Charge, ChargeEvent, ChargeSet
from core.domain.service_types import ServiceType
from tests.claims.conftest import charges_of, final_note
from tests.conftest import verified_client
from tests.factories import PayerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def biller(billing):
    return verified_client(billing.clinic.biller_user)


def test_the_list_has_counts_by_status_and_each_set_with_its_lines(billing, biller):
    crisis = final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80, hour=9)
    # when
    response = biller.get("/api/charges/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["counts_by_status"]) == (
        1,
        {"captured": 0, "on_hold": 0, "ready": 1, "reviewed": 0},
    )
    [row] = body["results"]
    assert (row["note_id"], row["status"], row["payer_id"], row["total_cents"], row["error_count"]) == (
        crisis.pk,
        "ready",
        billing.medicaid.pk,
        22000,
        0,
    )
    assert [(x["code"], x["units"], x["modifiers"], x["place_of_service"]) for x in row["lines"]] == [
        ("90839", 1, ["HO"], "11"),
        ("90840", 1, ["HO"], "11"),
    ]


def test_the_list_filters_by_status_errors_payer_and_dates(billing, biller):
    clean = final_note(billing, minutes=45, hour=9)
    held = final_note(billing, minutes=45, hour=13, capture=True)  # a duplicate 90834 of the same day
    assert (charges_of(clean).status, charges_of(held).status) == ("ready", "on_hold")

    def ids(query):
        return [r["note_id"] for r in biller.get(f"/api/charges/?{query}").json()["results"]]

    assert ids("status=on_hold") == [held.pk]
    assert ids("has_errors=false") == [clean.pk]
    assert sorted(ids(f"payer={billing.medicaid.pk}")) == sorted([clean.pk, held.pk])
    assert ids(f"payer={billing.commercial.pk}") == []
    assert ids("date_from=2026-03-10") == []
    assert sorted(ids("date_from=2026-03-09&date_to=2026-03-09")) == sorted([clean.pk, held.pk])


@pytest.mark.parametrize(
    ("_case", "query", "field"),
    [
        ("unknown payer", "payer=999999", "payer"),
        ("unknown status", "status=paid", "status"),
        ("bad date", "date_from=09/03/2026", "date_from"),
        ("bad flag", "has_errors=maybe", "has_errors"),
    ],
)
def test_bad_filters_are_a_clear_error(billing, biller, _case, query, field):
    response = biller.get(f"/api/charges/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert list(response.json()["extra"]["fields"]) == [field]


def test_another_practices_payer_is_unknown(billing, biller, other_practice):
    foreign = PayerFactory(practice=other_practice)
    response = biller.get(f"/api/charges/?payer={foreign.pk}")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"payer": ["No such payer in this practice."]}


def test_retrieve_gives_the_lines_findings_and_why(billing, biller):
    note = final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60)
    charges = charges_of(note)
    # when
    response = biller.get(f"/api/charges/{charges.pk}/")
    # then
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["supervising_provider_id"], body["supervisor_billing"]) == (
        "ready",
        billing.clinic.supervisor.pk,
        "with_supervisor",
    )
    assert [(x["code"], x["units"], x["modifiers"], x["fee_cents"]) for x in body["lines"]] == [
        ("H2019", 4, ["HM"], 7400)
    ]
    assert (
        "State Medicaid MCO (rules from Wed 1 Jan 2025): 97153 rendered by RBT is billed as H2019."
        in body["why"]
    )
    assert body["findings"] == []
    assert [e["kind"] for e in body["events"]] == ["captured", "scrubbed"]
    assert biller.get(f"/api/charges/notes/{note.pk}/").json()["id"] == charges.pk


def test_an_override_without_a_reason_is_refused_and_changes_nothing(billing, biller):
    note = final_note(billing, minutes=45)
    line = charges_of(note).lines.get()
    events = ChargeEvent.objects.count()
    # when
    response = biller.post(
        f"/api/charges/lines/{line.pk}/override/",
        {
            "code": "90837",
            "units": 1,
            "modifiers": ["HO"],
            "place_of_service": "11",
            "diagnosis_pointers": [1],
            "reason": "",
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"]) == ("validation_failed", "The line was not changed.")
    assert body["extra"]["fields"] == {"reason": ["Say why the line is changed (the reason is recorded)."]}
    assert [p["code"] for p in body["extra"]["problems"]] == ["override_reason_required"]
    assert Charge.objects.get(pk=line.pk).code == "90834"
    assert ChargeEvent.objects.count() == events


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("unknown code", {"code": "ABCDE"}, "code"),
        ("negative units", {"units": -1}, "units"),
        ("a diagnosis that doesn't exist", {"diagnosis_pointers": [3]}, "diagnosis_pointers"),
        ("units not a number", {"units": "four"}, "units"),
    ],
)
def test_bad_override_input_over_the_api(billing, biller, _case, changes, field):
    note = final_note(billing, minutes=45)
    line = charges_of(note).lines.get()
    data = {
        "code": "90834",
        "units": 1,
        "modifiers": ["HO"],
        "place_of_service": "11",
        "diagnosis_pointers": [1],
        "reason": "x",
    }
    response = biller.post(
        f"/api/charges/lines/{line.pk}/override/", {**data, **changes}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == [field]
    assert (Charge.objects.get(pk=line.pk).code, Charge.objects.get(pk=line.pk).units) == ("90834", 1)


def test_an_override_updates_the_findings(billing, biller):
    note = final_note(billing, minutes=45)
    line = charges_of(note).lines.get()
    # when
    response = biller.post(
        f"/api/charges/lines/{line.pk}/override/",
        {
            "code": "90837",
            "units": 1,
            "modifiers": ["HO"],
            "place_of_service": "11",
            "diagnosis_pointers": [1],
            "reason": "Try 60",
        },
        content_type="application/json",
    )
    # then
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], [f["code"] for f in body["findings"]]) == ("on_hold", ["minutes_mismatch"])
    assert body["events"][-2]["reason"] == "Try 60"
    assert (body["events"][-2]["before"]["code"], body["events"][-2]["after"]["code"]) == ("90834", "90837")
    # and a re-scrub answers the same
    again = biller.post(f"/api/charges/{body['id']}/scrub/", content_type="application/json")
    assert (again.status_code, again.json()["error_count"]) == (200, 1)


def test_a_technician_gets_403_and_changes_nothing(billing):
    note = final_note(billing, minutes=45)
    charges = charges_of(note)
    line = charges.lines.get()
    tech = verified_client(billing.clinic.tech_user)
    assert tech.get("/api/charges/").status_code == 403
    assert tech.get(f"/api/charges/{charges.pk}/").status_code == 403
    response = tech.post(
        f"/api/charges/lines/{line.pk}/override/",
        {
            "code": "90837",
            "units": 1,
            "modifiers": ["HO"],
            "place_of_service": "11",
            "diagnosis_pointers": [1],
            "reason": "x",
        },
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert Charge.objects.get(pk=line.pk).code == "90834"
    assert AuditEvent.objects.filter(object_type="charge_set", outcome="denied").count() == 3


def test_another_practices_biller_gets_404(billing, make_member, other_practice):
    note = final_note(billing, minutes=45)
    charges = charges_of(note)
    line = charges.lines.get()
    stranger = verified_client(make_member("biller", other_practice))
    assert stranger.get(f"/api/charges/{charges.pk}/").status_code == 404
    assert stranger.get(f"/api/charges/notes/{note.pk}/").status_code == 404
    assert (
        stranger.post(f"/api/charges/{charges.pk}/scrub/", content_type="application/json").status_code == 404
    )
    response = stranger.post(
        f"/api/charges/lines/{line.pk}/override/",
        {
            "code": "90837",
            "units": 1,
            "modifiers": ["HO"],
            "place_of_service": "11",
            "diagnosis_pointers": [1],
            "reason": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert stranger.get("/api/charges/").json()["count"] == 0
    assert Charge.objects.get(pk=line.pk).code == "90834"


def test_the_list_reads_a_constant_number_of_queries(billing, biller, django_assert_max_num_queries):
    final_note(billing, minutes=45, hour=9)
    biller.get("/api/charges/")  # warm up the session and the middleware
    with django_assert_max_num_queries(20) as one:
        biller.get("/api/charges/")
    final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80, hour=13)
    final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60, hour=16)
    assert ChargeSet.objects.count() == 3
    with django_assert_max_num_queries(len(one.captured_queries)) as three:
        biller.get("/api/charges/")
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_list_filters_then_pages(billing, biller):
    # given: two sets by the clinician and, newer, one by the tech
    older = final_note(billing, minutes=45, hour=9)
    final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80, hour=13)
    final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60, hour=16)
    clinician = billing.clinic.clinician
    # when: the clinician's second set, one per page
    body = biller.get("/api/charges/", {"provider": clinician.pk, "limit": 1, "offset": 1}).json()
    # then
    assert [row["note_id"] for row in body["results"]] == [older.pk]
    assert (body["count"], body["limit"], body["offset"], body["next"]) == (2, 1, 1, None)
    assert body["previous"].endswith(f"/api/charges/?limit=1&provider={clinician.pk}")
    assert sum(body["counts_by_status"].values()) == 2
