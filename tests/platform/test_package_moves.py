"""Treatment plans and payer rule sets moved apps without moving data (STYLE.md §19: migrations
with data logic get a test).

From the schema before the move (clinical_notes 0004, payers 0002) with rows written through
the historical models, migrating forward keeps every row, its id and the note → goal link, and
the content types follow the models. Migrating back restores the old state (state-only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import PatientFactory, PayerFactory, PracticeFactory, ProviderFactory

BEFORE = [
    ("clinical_notes", "0004_final_note_immutability_triggers"),
    ("payers", "0002_payer_rule_set"),
    ("treatment_plans", None),
    ("payer_rules", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_rows(old_apps, *, practice, patient, provider, payer):
    plan = old_apps.get_model("clinical_notes", "TreatmentPlan").objects.create(
        practice_id=practice.pk,
        patient_id=patient.pk,
        author_id=provider.pk,
        status="active",
        starts_on=dt.date(2026, 1, 1),
        review_on=dt.date(2026, 6, 30),
    )
    problem = old_apps.get_model("clinical_notes", "PlanProblem").objects.create(
        plan=plan, description="Elopement"
    )
    goal = old_apps.get_model("clinical_notes", "PlanGoal").objects.create(
        problem=problem, description="Stays"
    )
    old_apps.get_model("clinical_notes", "PlanObjective").objects.create(
        goal=goal, description="No incidents"
    )
    note = old_apps.get_model("clinical_notes", "SessionNote").objects.create(
        practice_id=practice.pk,
        patient_id=patient.pk,
        author_id=provider.pk,
        service_type="individual_psychotherapy",
        date_of_service=dt.date(2026, 3, 9),
    )
    old_apps.get_model("clinical_notes", "NoteGoal").objects.create(note=note, goal=goal, progress="Better")
    rule_set = old_apps.get_model("payers", "PayerRuleSet").objects.create(
        payer_id=payer.pk, effective_from=dt.date(2025, 1, 1), rules={"cosign_required": True}
    )
    return plan.pk, goal.pk, note.pk, rule_set.pk


@pytest.mark.django_db(transaction=True)
def test_plans_and_rule_sets_survive_the_move_and_back():
    # given: the schema before the move, with a plan tree, a note linking its goal, a rule set
    practice = PracticeFactory()
    provider = ProviderFactory(practice=practice)
    patient = PatientFactory(practice=practice)
    payer = PayerFactory(practice=practice)
    leaves = _leaves()
    old_apps = _migrate(BEFORE)
    plan_id, goal_id, note_id, rule_set_id = _old_rows(
        old_apps, practice=practice, patient=patient, provider=provider, payer=payer
    )

    # when
    new_apps = _migrate(leaves)

    # then: the same rows, read through the new apps' models
    plan = new_apps.get_model("treatment_plans", "TreatmentPlan").objects.get()
    link = new_apps.get_model("clinical_notes", "NoteGoal").objects.get()
    goal = new_apps.get_model("treatment_plans", "PlanGoal").objects.get(pk=link.goal_id)
    rule_set = new_apps.get_model("payer_rules", "PayerRuleSet").objects.get()
    assert (plan.pk, plan.status, goal.pk, goal.problem.plan_id, link.note_id) == (
        plan_id,
        "active",
        goal_id,
        plan_id,
        note_id,
    )
    assert new_apps.get_model("treatment_plans", "PlanObjective").objects.get().goal_id == goal_id
    assert (rule_set.pk, rule_set.payer_id, rule_set.rules) == (
        rule_set_id,
        payer.pk,
        {"cosign_required": True},
    )

    # and when: back to the schema before the move
    old_apps = _migrate(BEFORE)

    # then: the old models read the same rows again
    assert old_apps.get_model("clinical_notes", "NoteGoal").objects.get().goal_id == goal_id
    assert old_apps.get_model("payers", "PayerRuleSet").objects.get().pk == rule_set_id
    _migrate(leaves)


@pytest.mark.django_db(transaction=True)
def test_content_types_follow_the_models():
    # given: content types of the old apps, as an existing database has them
    leaves = _leaves()
    old_apps = _migrate(BEFORE)
    content_type = old_apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label__in=["treatment_plans", "payer_rules"]).delete()
    for app_label, model in (("clinical_notes", "treatmentplan"), ("payers", "payerruleset")):
        content_type.objects.get_or_create(app_label=app_label, model=model)
    ids = dict(
        content_type.objects.filter(model__in=["treatmentplan", "payerruleset"]).values_list("model", "pk")
    )

    # when
    new_apps = _migrate(leaves)

    # then: the same rows (so permissions and admin history follow), under the new app labels
    moved = new_apps.get_model("contenttypes", "ContentType").objects.filter(pk__in=ids.values())
    assert sorted(moved.values_list("app_label", "model")) == [
        ("payer_rules", "payerruleset"),
        ("treatment_plans", "treatmentplan"),
    ]
