"""The charge screens: list with counts and filters, the note's charges with the why and the
findings, the override form (reason required, nothing written on error), review, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from claims.models import Charge, ChargeEvent, ChargeSet
from core.domain.service_types import ServiceType
from core.money import format_cents
from practice.models import Provider
from tests.claims.conftest import charges_of, final_note, lines_of
from tests.conftest import verified_client
from tests.factories.clinical import SessionNoteFactory

NOW = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def biller(billing):
    return verified_client(billing.clinic.biller_user)


def form_data(line, **changes):
    prefix = f"line-{line.pk}"
    data = {
        "code": line.code,
        "units": str(line.units),
        "modifiers": ", ".join(line.modifiers),
        "pos": line.place_of_service,
        "diagnosis_pointers": ", ".join(map(str, line.diagnosis_pointers)),
        "reason": "Checked the note.",
    }
    data.update(changes)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def test_the_list_shows_counts_and_rows_and_the_nav_links_to_it(billing, biller):
    final_note(billing, minutes=45, hour=9)
    final_note(billing, minutes=45, hour=13)  # a same-day duplicate: on hold
    # when
    response = biller.get("/charges/")
    # then
    page = response.context["page"]
    assert response.status_code == 200
    assert [(c.status, c.count) for c in page.counts] == [
        ("captured", 0),
        ("on_hold", 1),
        ("ready", 1),
        ("reviewed", 0),
    ]
    assert [(r.lines, r.total, r.status_label, r.errors) for r in page.rows] == [
        ("90834-HO ×1", "$110.00", "On hold", 1),
        ("90834-HO ×1", "$110.00", "Ready", 0),
    ]
    assert {"label": "Charges", "url": "/charges/", "active": True} in response.context["nav_items"]
    assert "90834-HO ×1" in response.content.decode()


def test_the_list_filters_and_shows_bad_filters(billing, biller):
    final_note(billing, minutes=45, hour=9)
    final_note(billing, minutes=45, hour=13)
    assert [r.status for r in biller.get("/charges/?has_errors=yes").context["page"].rows] == ["on_hold"]
    assert [r.status for r in biller.get("/charges/?status=ready").context["page"].rows] == ["ready"]
    assert biller.get("/charges/?payer=self_pay").context["page"].rows == []
    response = biller.get("/charges/?date_from=2026-03-10&date_to=2026-03-01")
    assert response.status_code == 400
    assert response.context["page"].form.errors == {
        "date_to": ["The end date cannot be before the start date."]
    }


def test_the_detail_shows_lines_the_why_and_the_findings_with_fix_hints(billing, biller):
    note = final_note(billing, minutes=45, hour=9)
    held = final_note(billing, minutes=45, hour=13)
    # when
    response = biller.get(f"/charges/{charges_of(held).pk}/")
    # then
    page = response.context["page"]
    html = response.content.decode()
    assert (page.status_label, page.payer, page.rendering, page.error_count) == (
        "On hold",
        "State Medicaid MCO",
        f"{billing.clinic.clinician.full_name} (LPC)",
        1,
    )
    [line] = page.lines
    assert (line.code, line.units, line.modifiers, line.pos, line.pointers, line.fee) == (
        "90834",
        1,
        "HO",
        "11",
        "1 (F84.0)",
        "$110.00",
    )
    assert [(f.code, f.field) for f in line.findings] == [("duplicate_line", "line 1, code")]
    assert f"90834-HO on Mon 9 Mar 2026 is already captured (note {note.pk})." in html
    assert "How to fix: Bill the date&#x27;s units on one line" in html
    assert "45 minutes of psychotherapy falls in the 38-52 minute band: 90834." in page.why
    assert page.diagnoses == ["1. F84.0 — Autistic disorder"]


def test_an_override_without_a_reason_shows_the_error_and_writes_nothing(billing, biller):
    note = final_note(billing, minutes=45)
    line = charges_of(note).lines.get()
    events = ChargeEvent.objects.count()
    # when
    response = biller.post(f"/charges/lines/{line.pk}/override/", form_data(line, code="90837", reason=""))
    # then
    assert response.status_code == 400
    [shown] = response.context["page"].lines
    assert shown.form_open is True
    assert shown.form.errors == {"reason": ["Say why the line is changed (the reason is recorded)."]}
    assert "Nothing was changed. Correct the fields marked below." in response.content.decode()
    # the refusal is also said at the top of the page
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The line was not changed: Say why the line is changed (the reason is recorded)."
    ]
    assert Charge.objects.get(pk=line.pk).code == "90834"
    assert ChargeEvent.objects.count() == events


@pytest.mark.parametrize(
    ("_case", "changes", "field", "message"),
    [
        ("unknown code", {"code": "ZZZZZ"}, "code", "ZZZZZ is not a CPT/HCPCS code in the code set on the date of service."),
        ("negative units", {"units": "-3"}, "units", "Units cannot be negative (0 drops the line)."),
        ("pointer to a missing diagnosis", {"diagnosis_pointers": "1, 4"}, "diagnosis_pointers", "Diagnosis 4 does not exist: the claim lists 1 diagnosis."),
        ("pointers not numbers", {"diagnosis_pointers": "one"}, "diagnosis_pointers", "Pointers are diagnosis numbers, like 1, 2."),
    ],
)  # fmt: skip
def test_bad_override_input_on_the_screen(billing, biller, _case, changes, field, message):
    note = final_note(billing, minutes=45)
    line = charges_of(note).lines.get()
    response = biller.post(f"/charges/lines/{line.pk}/override/", form_data(line, **changes))
    assert response.status_code == 400
    assert response.context["page"].lines[0].form.errors == {field: [message]}
    assert lines_of(note) == [("90834", 1, ["HO"])]


def test_an_override_with_a_reason_updates_the_findings_and_the_history(billing, biller):
    note = final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80)
    add_on = charges_of(note).lines.get(code="90840")
    # when: the biller bills 2 units of +90840 for 80 minutes
    response = biller.post(
        f"/charges/lines/{add_on.pk}/override/",
        form_data(add_on, units="2", reason="Payer's auth says 2."),
        follow=True,
    )
    # then
    page = response.context["page"]
    assert (page.status_label, page.error_count) == ("On hold", 1)
    assert [f.code for f in page.lines[1].findings] == ["minutes_mismatch"]
    assert page.events[-2].reason == "Payer's auth says 2."
    assert page.events[-2].change == "units 1 → 2"
    assert page.events[-2].who == billing.clinic.biller_user.username
    assert "Line changed and re-scrubbed: 1 error(s) remain." in response.content.decode()


def test_mark_reviewed_from_the_screen(billing, biller):
    note = final_note(billing, minutes=45)
    charges = charges_of(note)
    assert biller.get(f"/charges/{charges.pk}/").context["page"].can_review is True
    response = biller.post(f"/charges/{charges.pk}/review/", follow=True)
    assert response.context["page"].status_label == "Reviewed"
    assert response.context["page"].can_review is False
    assert (
        biller.post(f"/charges/{charges.pk}/scrub/", follow=True).context["page"].status_label == "Reviewed"
    )


def test_a_technician_gets_403_and_another_practice_404(billing, make_member, other_practice):
    note = final_note(billing, minutes=45)
    charges = charges_of(note)
    line = charges.lines.get()
    tech = verified_client(billing.clinic.tech_user)
    assert tech.get("/charges/").status_code == 403
    assert tech.get(f"/charges/{charges.pk}/").status_code == 403
    assert tech.post(f"/charges/lines/{line.pk}/override/", form_data(line, code="90837")).status_code == 403
    admin = verified_client(billing.clinic.admin_user)
    assert admin.get(f"/charges/{charges.pk}/").context["page"].can_edit is False
    assert admin.post(f"/charges/lines/{line.pk}/override/", form_data(line, code="90837")).status_code == 403
    stranger = verified_client(make_member("biller", other_practice))
    assert stranger.get(f"/charges/{charges.pk}/").status_code == 404
    assert stranger.get(f"/charges/notes/{note.pk}/").status_code == 404
    assert (
        stranger.post(f"/charges/lines/{line.pk}/override/", form_data(line, code="90837")).status_code == 404
    )
    assert lines_of(note) == [("90834", 1, ["HO"])]


def test_the_list_screen_reads_a_constant_number_of_queries(billing, biller, django_assert_max_num_queries):
    final_note(billing, minutes=45, hour=9)
    biller.get("/charges/")
    with django_assert_max_num_queries(30) as one:
        biller.get("/charges/")
    final_note(billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=80, hour=13)
    final_note(billing, author="tech", service_type=ServiceType.ABA_TECHNICIAN_TREATMENT, minutes=60, hour=16)
    with django_assert_max_num_queries(len(one.captured_queries)) as three:
        biller.get("/charges/")
    assert len(three.captured_queries) == len(one.captured_queries)


def add_data(**changes):
    data = {
        "code": "90785",
        "units": "1",
        "modifiers": "HO",
        "pos": "11",
        "diagnosis_pointers": "1",
        "reason": "Interactive complexity is documented.",
    }
    data.update(changes)
    return {f"add-{key}": value for key, value in data.items()}


def test_a_biller_adds_a_line_from_the_screen_and_sees_it_in_the_history(billing, biller):
    note = final_note(billing, minutes=45)
    charge_set = charges_of(note)
    # given: the form is on the page, closed, with the first line's POS and pointer 1
    page = biller.get(f"/charges/{charge_set.pk}/").context["page"]
    assert (page.add_open, page.add_form["pos"].value(), page.add_form["units"].value()) == (False, "11", 1)
    # when
    response = biller.post(f"/charges/{charge_set.pk}/lines/add/", add_data(), follow=True)
    # then
    page = response.context["page"]
    assert lines_of(note) == [("90834", 1, ["HO"]), ("90785", 1, ["HO"])]
    assert (page.status_label, page.error_count) == ("Ready", 0)
    assert (page.events[-2].what, page.events[-2].change, page.events[-2].reason) == (
        "Line added (line 2)",
        "90785-HO x1, POS 11",
        "Interactive complexity is documented.",
    )


def test_adding_a_line_without_a_reason_shows_the_error_and_adds_nothing(billing, biller):
    note = final_note(billing, minutes=45)
    charge_set = charges_of(note)
    response = biller.post(f"/charges/{charge_set.pk}/lines/add/", add_data(reason=""))
    assert response.status_code == 400
    page = response.context["page"]
    assert page.add_open is True
    assert page.add_form.errors == {"reason": ["Say why the line is changed (the reason is recorded)."]}
    assert "Nothing was added. Correct the fields marked below." in response.content.decode()
    assert lines_of(note) == [("90834", 1, ["HO"])]


def test_the_screen_lists_every_finding_at_once_each_with_its_fix(billing, biller):
    # given: the demo's technician (a BHT without an NPI) documents H0004, which the plan refuses
    # from technicians; and the coverage ended before the date of service
    Provider.objects.filter(pk=billing.clinic.tech.pk).update(credential="BHT", npi="")
    note = final_note(
        billing, author="tech", service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING, minutes=45
    )
    charge_set = charges_of(note)
    billing.coverage.terminates_on = charge_set.date_of_service.replace(day=1)
    billing.coverage.save(update_fields=["terminates_on"])
    biller.post(f"/charges/{charge_set.pk}/scrub/")
    # when
    response = biller.get(f"/charges/{charge_set.pk}/")
    # then: errors of three kinds, all shown at once, each with how to fix it
    page = response.context["page"]
    findings = [*page.claim_findings, *(f for line in page.lines for f in line.findings)]
    assert {"coverage_not_active", "credential_cannot_render", "npi_missing"} <= {f.code for f in findings}
    assert sum(f.severity == "error" for f in findings) == page.error_count
    html = response.content.decode()
    for finding in findings:
        assert escape(finding.message) in html
        assert finding.fix_hint
        assert escape(finding.fix_hint) in html


@pytest.fixture
def charge_screens_graph(billing):
    """Two clean sets (one captured through the services, one written straight) and one on hold."""
    clean_a = charges_of(final_note(billing, minutes=45, hour=9))
    held = charges_of(final_note(billing, minutes=45, hour=13))  # a same-day duplicate: on hold
    note = SessionNoteFactory(
        practice=billing.practice,
        patient=billing.patient,
        author=billing.clinic.clinician,
        date_of_service=dt.date(2026, 3, 2),
        status="final",
        signed_at=NOW,
        finalized_at=NOW,
        signed_by=billing.clinic.clinician_user,
    )
    clean_b = ChargeSet.objects.create(
        practice=billing.practice,
        note=note,
        patient=billing.patient,
        date_of_service=note.date_of_service,
        self_pay=True,
        rendering_provider=billing.clinic.clinician,
        status="ready",
        captured_at=NOW,
        scrubbed_at=NOW,
    )
    Charge.objects.create(
        charge_set=clean_b, line_number=1, code="90834", units=1, place_of_service="11", fee_cents=5000
    )
    total = sum(c.fee_cents for c in Charge.objects.filter(units__gt=0))
    return billing.clinic.biller_user, {
        "clean_a": clean_a,
        "clean_b": clean_b,
        "held": held,
        "total_cents": total,
    }


def test_the_list_shows_each_sets_first_finding_in_words_and_a_total(charge_screens_graph, client_for):
    biller, sets = charge_screens_graph
    response = client_for(biller).get(reverse("charges:list"))
    page = response.context["page"]
    by_id = {row.charge_set_id: row for row in page.rows}
    held = by_id[sets["held"].pk]
    assert held.first_finding == sets["held"].findings[0]["message"]
    assert held.first_finding_css == "bad"
    assert "error" not in held.first_finding.split()[0].lower()
    assert page.total_amount == format_cents(sets["total_cents"])
    assert "1 error" not in response.content.decode()


def test_several_clean_sets_are_marked_reviewed_in_one_pass_each_audited(charge_screens_graph, client_for):
    biller, sets = charge_screens_graph
    client = client_for(biller)
    ids = [sets["clean_a"].pk, sets["clean_b"].pk, sets["held"].pk]
    response = client.post(reverse("charges:review_many"), {"charge_set_ids": [str(i) for i in ids]})
    assert response.status_code == 302
    statuses = dict(ChargeSet.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        sets["clean_a"].pk: "reviewed",
        sets["clean_b"].pk: "reviewed",
        sets["held"].pk: "on_hold",
    }
    audited = AuditEvent.objects.filter(
        object_type="charge_set", action="update", detail__startswith="reviewed;"
    )
    assert sorted(int(e.object_id) for e in audited) == sorted([sets["clean_a"].pk, sets["clean_b"].pk])
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0] == "Marked 2 sets of charges reviewed."
    assert texts[1].startswith(f"Not marked reviewed — charges {sets['held'].pk}:")
