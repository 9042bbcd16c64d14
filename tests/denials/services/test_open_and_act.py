"""Opening denials from a payer's adjudication (idempotent), and a person's actions on them.
Pitfalls named: D1 (auth on file), D5 (rejections never appealed), D6 (CO never to the patient),
D7 (deadline from the payer's window and the ERA date), R4 (no write-off without a person,
the permission and a reason), R14 (the patient's share is not a denial)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from claims.models import Claim
from core.errors import PermissionDenied, ValidationFailed
from denials import services
from denials.models import Appeal, Denial, DenialEvent
from tests.denials.world import ERA_DATE, World

pytestmark = pytest.mark.django_db


def test_a_denied_line_opens_one_denial_with_our_labels_and_the_deadline(world: World) -> None:
    claim = world.claim(code="90837")
    adjudication = world.adjudicate(claim, adjustments=[("CO", "50", 15000)], remarks=("N130",))
    assert services.denials_open_for_adjudication(adjudication_id=adjudication.pk) == 1
    denial = Denial.objects.get()
    assert (denial.group, denial.carc, denial.carcs, denial.rarcs) == ("CO", "50", ["CO-50"], ["N130"])
    assert (denial.category, denial.recommended_action, denial.amount_cents) == (
        "medical_necessity",
        "appeal",
        15000,
    )
    # D7: the payer's 60-day window from the ERA date
    assert denial.appeal_deadline == ERA_DATE + dt.timedelta(days=60)
    assert denial.status == "open"
    assert [e.kind for e in denial.events.all()] == ["opened"]


def test_opening_twice_opens_nothing_twice(world: World) -> None:
    claim = world.claim()
    adjudication = world.adjudicate(claim, adjustments=[("CO", "197", 15000)])
    services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
    assert services.denials_open_for_adjudication(adjudication_id=adjudication.pk) == 0
    assert Denial.objects.count() == 1
    assert DenialEvent.objects.count() == 1


def test_r14_the_patients_share_and_contractual_reductions_open_nothing(world: World) -> None:
    claim = world.claim()
    deductible = world.adjudicate(claim, adjustments=[("PR", "1", 15000)])
    paid = world.adjudicate(claim, adjustments=[("CO", "45", 3000), ("PR", "2", 2000)], paid_cents=10000)
    assert services.denials_open_for_adjudication(adjudication_id=deductible.pk) == 0
    assert services.denials_open_for_adjudication(adjudication_id=paid.pk) == 0


def test_a_partial_denial_opens_for_the_denied_part_only(world: World) -> None:
    claim = world.claim()
    adjudication = world.adjudicate(
        claim, adjustments=[("CO", "45", 3000), ("CO", "151", 5000)], paid_cents=7000
    )
    services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
    assert Denial.objects.get().amount_cents == 5000


def test_a_claim_level_denial_stays_at_claim_level(world: World) -> None:
    claim = world.claim()
    adjudication = world.adjudicate(claim, adjustments=[], claim_adjustments=[("CO", "29", 15000)])
    services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
    denial = Denial.objects.get()
    assert denial.claim_line_id is None
    assert denial.category == "timely_filing"


def test_d1_co197_with_an_authorization_on_file_recommends_a_corrected_claim(world: World) -> None:
    from tests.factories.authorizations import PriorAuthorizationFactory  # noqa: PLC0415

    claim = world.claim(code="90837")
    PriorAuthorizationFactory(
        practice=world.practice,
        patient=claim.patient,
        payer=world.payer,
        number="AUTH-77",
        start_on=dt.date(2026, 1, 1),
        end_on=dt.date(2026, 12, 31),
        codes=["90837"],
    )
    adjudication = world.adjudicate(claim, adjustments=[("CO", "197", 15000)])
    services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
    denial = Denial.objects.get()
    assert denial.recommended_action == "correct_and_resubmit"
    assert "REF*G1" in denial.why


def test_r4_nothing_is_written_off_without_the_permission_and_a_reason(world: World) -> None:
    denial = world.denial(carc="50")
    with pytest.raises(PermissionDenied):
        services.denial_write_off(
            access=world.access(world.admin), denial_id=denial.pk, reason="Not worth an appeal here"
        )
    with pytest.raises(ValidationFailed, match="Say why"):
        services.denial_write_off(access=world.access(world.biller), denial_id=denial.pk, reason="small")
    denial.refresh_from_db()
    assert denial.status == "open"
    services.denial_write_off(
        access=world.access(world.biller), denial_id=denial.pk, reason="Below the cost of an appeal, agreed"
    )
    denial.refresh_from_db()
    assert denial.status == "written_off"
    event = denial.events.get(kind="written_off")
    assert event.reason == "Below the cost of an appeal, agreed"
    assert event.actor_id == world.biller.pk


def test_r4_opening_never_writes_a_denial_off_even_a_contractual_one(world: World) -> None:
    claim = world.claim()
    adjudication = world.adjudicate(claim, adjustments=[("CO", "45", 15000)])
    services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
    denial = Denial.objects.get()
    assert denial.category == "contractual"
    assert denial.status == "open"  # a person looks at a line taken to zero


def test_d6_a_co_amount_is_never_transferred_to_the_patient(world: World) -> None:
    denial = world.denial(group="CO", carc="96")
    with pytest.raises(ValidationFailed, match="provider's liability"):
        services.denial_transfer_to_patient(
            access=world.access(world.biller), denial_id=denial.pk, reason="Patient signed a waiver"
        )
    denial.refresh_from_db()
    assert denial.status == "open"


def test_d6_a_pr_amount_moves_to_the_patient_with_a_reason(world: World) -> None:
    denial = world.denial(group="PR", carc="96")
    assert denial.recommended_action == "transfer_to_patient"
    services.denial_transfer_to_patient(
        access=world.access(world.biller), denial_id=denial.pk, reason="Plan excludes it; waiver on file"
    )
    denial.refresh_from_db()
    assert denial.status == "transferred"


def test_d5_a_rejection_cannot_be_appealed(world: World) -> None:
    denial = world.denial(carc="16", remarks=("MA130",))
    assert denial.appeal_rights is False
    assert denial.appeal_deadline is None
    with pytest.raises(ValidationFailed, match="nothing to appeal"):
        services.denial_appeal(access=world.access(world.biller), denial_id=denial.pk)
    assert not Appeal.objects.exists()


def test_appeal_then_outcomes_return_partial_and_lost_to_the_queue(world: World) -> None:
    biller = world.access(world.biller)
    denial = world.denial(carc="50", cents=20000)
    first = services.denial_appeal(access=biller, denial_id=denial.pk, note="Level 1 with notes")
    denial.refresh_from_db()
    assert (first.level, denial.status) == (1, "in_appeal")
    with pytest.raises(ValidationFailed, match="cannot exceed"):
        services.appeal_outcome_record(
            access=biller,
            appeal_id=first.pk,
            outcome="won",
            recovered_cents=30000,
            outcome_on=dt.date(2026, 12, 1),
        )
    services.appeal_outcome_record(
        access=biller,
        appeal_id=first.pk,
        outcome="partially_won",
        recovered_cents=8000,
        outcome_on=dt.date(2026, 12, 1),
    )
    denial.refresh_from_db()
    assert denial.status == "open"
    second = services.denial_appeal(access=biller, denial_id=denial.pk)
    assert second.level == 2
    services.appeal_outcome_record(
        access=biller,
        appeal_id=second.pk,
        outcome="won",
        recovered_cents=20000,
        outcome_on=dt.date(2026, 12, 3),
    )
    denial.refresh_from_db()
    assert denial.status == "resolved"
    kinds = list(denial.events.values_list("kind", flat=True))
    assert kinds == ["opened", "appealed", "outcome", "appealed", "outcome"]


def test_correct_and_resubmit_records_the_replacement_intent(world: World) -> None:
    denial = world.denial(carc="4")
    with pytest.raises(ValidationFailed):
        services.denial_correct_and_resubmit(access=world.access(world.biller), denial_id=denial.pk, note=" ")
    services.denial_correct_and_resubmit(
        access=world.access(world.biller), denial_id=denial.pk, note="Add modifier 95"
    )
    denial.refresh_from_db()
    assert denial.status == "resubmitted"
    data = denial.events.get(kind="resubmitted").data
    replacement = Claim.objects.get(pk=data["replacement_claim_id"])
    assert (replacement.frequency, replacement.replaces_id, replacement.status) == (
        "7",
        denial.claim_id,
        "draft",
    )
    assert data == {"claim_id": denial.claim_id, "frequency": "7", "replacement_claim_id": replacement.pk}


def test_c7_no_replacement_without_the_payers_claim_number(world: World) -> None:
    denial = world.denial(carc="4")
    Claim.objects.filter(pk=denial.claim_id).update(payer_claim_number="")
    with pytest.raises(ValidationFailed, match="payer's claim number"):
        services.denial_correct_and_resubmit(
            access=world.access(world.biller), denial_id=denial.pk, note="Fix"
        )
    denial.refresh_from_db()
    assert denial.status == "open"


def test_c7_no_electronic_replacement_for_a_payer_that_takes_none(world: World) -> None:
    """Correct and resubmit applies the payer's correction rules, as the claims screens do:
    Medicare takes no electronic replacement by default (C7), so nothing is created."""
    denial = world.denial(carc="4")
    world.payer.kind = "medicare"
    world.payer.save(update_fields=["kind"])
    with pytest.raises(ValidationFailed, match="does not take replacement claims electronically"):
        services.denial_correct_and_resubmit(
            access=world.access(world.biller), denial_id=denial.pk, note="Add modifier 95"
        )
    denial.refresh_from_db()
    assert denial.status == "open"
    assert not Claim.objects.filter(replaces_id=denial.claim_id).exists()


def test_two_denied_lines_of_one_claim_share_one_replacement(world: World) -> None:
    claim = world.claim(lines=2)
    adjudication = world.adjudicate(claim, adjustments=[("CO", "4", 15000)])
    services.denials_open_for_adjudication(adjudication_id=adjudication.pk)
    biller = world.access(world.biller)
    for denial in Denial.objects.filter(claim=claim):
        services.denial_correct_and_resubmit(access=biller, denial_id=denial.pk, note="Add modifier 95")
    assert Claim.objects.filter(replaces=claim).count() == 1


def test_an_appeal_marks_the_denied_claim_appealed(world: World) -> None:
    denial = world.denial(carc="50")
    services.denial_appeal(access=world.access(world.biller), denial_id=denial.pk)
    assert Claim.objects.get(pk=denial.claim_id).status == "appealed"


def test_read_only_roles_cannot_act(world: World) -> None:
    denial = world.denial()
    with pytest.raises(PermissionDenied):
        services.denial_appeal(access=world.access(world.admin), denial_id=denial.pk)


def test_denial_events_are_append_only(world: World) -> None:
    denial = world.denial()
    event = denial.events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        DenialEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(TypeError):
        DenialEvent.objects.filter(pk=event.pk).delete()


def test_reminders_once_per_threshold(world: World) -> None:
    denial = world.denial(era_date=dt.date(2026, 10, 10))  # deadline Wed 9 Dec 2026
    deadline = denial.appeal_deadline
    assert deadline == dt.date(2026, 12, 9)
    first = services.denial_reminders_send(practice_id=world.practice.pk, today=dt.date(2026, 11, 25))
    again = services.denial_reminders_send(practice_id=world.practice.pk, today=dt.date(2026, 11, 26))
    week = services.denial_reminders_send(practice_id=world.practice.pk, today=dt.date(2026, 12, 3))
    assert (first.sent, again.sent, week.sent) == (1, 0, 1)
    assert sorted(denial.reminders.values_list("threshold_days", flat=True)) == [7, 14]


@pytest.mark.postgres
def test_denial_events_are_append_only_in_the_database(world: World) -> None:
    from django.db import connection, transaction  # noqa: PLC0415
    from django.db.utils import IntegrityError, InternalError  # noqa: PLC0415

    denial = world.denial()
    event = denial.events.get()
    for statement in (
        "UPDATE denials_denialevent SET reason = 'changed' WHERE id = %s",
        "DELETE FROM denials_denialevent WHERE id = %s",
    ):
        with (
            pytest.raises((IntegrityError, InternalError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert denial.events.get().reason == ""


def test_the_beat_queues_one_durable_reminder_job_per_practice_and_day(
    world: World,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from celery import current_app  # noqa: PLC0415

    from core.models import BackgroundJob  # noqa: PLC0415
    from denials.tasks import denial_reminders_task  # noqa: PLC0415
    from practice.selectors import practice_today  # noqa: PLC0415

    denial = world.denial(carc="50")
    today = practice_today(practice_id=world.practice.pk)
    Denial.objects.filter(pk=denial.pk).update(appeal_deadline=today + dt.timedelta(days=10))
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            denial_reminders_task()
        with django_capture_on_commit_callbacks(execute=True):
            denial_reminders_task()  # a second beat message the same day
    finally:
        current_app.conf.task_always_eager = eager
    jobs = BackgroundJob.objects.filter(task_name="denials.tasks.denial_reminders_for_practice")
    assert jobs.filter(practice_id=world.practice.pk).count() == 1
    assert list(denial.reminders.values_list("threshold_days", flat=True)) == [14]
