"""Payer rule-set services and selectors on a real database; the wiring into coding and notes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from clinical_notes.selectors import payer_requires_cosign
from core.errors import NotFound, PermissionDenied, ValidationFailed
from payer_rules import selectors
from payer_rules.demo_rules import demo_payer_rules_seed
from payer_rules.models import PayerRuleSet
from payer_rules.services import payer_rule_set_create, payer_rule_set_revise, payer_rule_set_update
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory
from tests.factories.clinical import SessionNoteFactory

pytestmark = pytest.mark.django_db

NOON_2026_06_15 = datetime(2026, 6, 15, 17, 0, tzinfo=UTC)  # noon in Chicago, the factories' zone
MEDICARE_LIKE = {"coding": {"unit_rule": "cms_8_minute", "video_modifier": ""}, "cosign_required": True}


def _rows(payer):
    return list(
        PayerRuleSet.objects.filter(payer=payer)
        .order_by("effective_from")
        .values_list("effective_from", "effective_to", "rules")
    )


# ---- create ----------------------------------------------------------------------------------------


def test_create_stores_the_canonical_document(admin_access, practice):
    # given
    payer = PayerFactory(practice=practice)

    # when
    rule_set = payer_rule_set_create(
        access=admin_access,
        payer_pk=payer.pk,
        effective_from=date(2025, 1, 1),
        rules={"prior_auth": [{"codes": ["97153 "]}], "cosign_required": True},
        notes="  From the 2025 provider manual. ",
    )

    # then
    rule_set.refresh_from_db()
    assert rule_set.rules["prior_auth"] == [{"codes": ["97153"], "after_visits_per_year": None}]
    assert rule_set.rules["coding"]["unit_rule"] == "cpt_midpoint"
    assert (rule_set.notes, rule_set.created_by_id, rule_set.effective_to) == (
        "From the 2025 provider manual.",
        admin_access.user_id,
        None,
    )


def test_new_open_version_ends_the_previous_one(admin_access, practice):
    # given
    payer = PayerFactory(practice=practice)
    PayerRuleSetFactory(payer=payer, effective_from=date(2024, 1, 1))

    # when
    payer_rule_set_create(
        access=admin_access, payer_pk=payer.pk, effective_from=date(2026, 1, 1), rules=MEDICARE_LIKE
    )

    # then
    assert [(start, end) for start, end, _ in _rows(payer)] == [
        (date(2024, 1, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), None),
    ]


@pytest.mark.parametrize(
    ("_case", "kwargs", "field"),
    [
        ("unknown code", {"rules": {"prior_auth": [{"codes": ["12345"]}]}}, "prior_auth[0].codes"),
        ("unreadable rules", {"rules": {"coding": {"unit_rule": "weekly"}}}, "coding.unit_rule"),
        ("dates reversed", {"effective_to": date(2023, 1, 1)}, "effective_to"),
        ("same start as an existing version", {"effective_from": date(2024, 1, 1)}, "effective_from"),
        (
            "closed version overlapping",
            {"effective_from": date(2023, 6, 1), "effective_to": date(2024, 2, 1)},
            "effective_from",
        ),
    ],
)
def test_invalid_rules_write_nothing(admin_access, practice, _case, kwargs, field):
    # given
    payer = PayerFactory(practice=practice)
    PayerRuleSetFactory(payer=payer, effective_from=date(2024, 1, 1))
    before = _rows(payer)
    arguments = {"effective_from": date(2024, 6, 1), "effective_to": None, "rules": {}} | kwargs

    # when
    with pytest.raises(ValidationFailed) as error:
        payer_rule_set_create(access=admin_access, payer_pk=payer.pk, **arguments)

    # then
    assert field in error.value.field_errors
    assert _rows(payer) == before


def test_only_admins_change_rules(biller_access, practice):
    payer = PayerFactory(practice=practice)
    with pytest.raises(PermissionDenied):
        payer_rule_set_create(
            access=biller_access, payer_pk=payer.pk, effective_from=date(2025, 1, 1), rules={}
        )
    assert PayerRuleSet.objects.count() == 0


def test_another_practices_payer_is_not_found(admin_access, other_practice):
    payer = PayerFactory(practice=other_practice)
    with pytest.raises(NotFound):
        payer_rule_set_create(
            access=admin_access, payer_pk=payer.pk, effective_from=date(2025, 1, 1), rules={}
        )
    assert PayerRuleSet.objects.count() == 0


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_update_replaces_rules_and_dates_of_a_version_not_started(admin_access, practice):
    # given: a version from tomorrow
    payer = PayerFactory(practice=practice)
    rule_set = PayerRuleSetFactory(payer=payer, effective_from=date(2026, 6, 16))

    # when
    payer_rule_set_update(
        access=admin_access,
        payer_pk=payer.pk,
        rule_set_id=rule_set.pk,
        effective_from=date(2026, 7, 1),
        effective_to=date(2026, 12, 31),
        rules=MEDICARE_LIKE,
        notes="fixed",
    )

    # then
    rule_set.refresh_from_db()
    assert (rule_set.effective_from, rule_set.effective_to, rule_set.notes) == (
        date(2026, 7, 1),
        date(2026, 12, 31),
        "fixed",
    )
    assert rule_set.rules["coding"]["unit_rule"] == "cms_8_minute"


def test_update_with_a_bad_code_changes_nothing(admin_access, practice):
    payer = PayerFactory(practice=practice)
    rule_set = PayerRuleSetFactory(
        payer=payer, effective_from=date(2024, 1, 1), rules={"cosign_required": True}
    )
    before = _rows(payer)
    with pytest.raises(ValidationFailed):
        payer_rule_set_update(
            access=admin_access,
            payer_pk=payer.pk,
            rule_set_id=rule_set.pk,
            effective_from=date(2024, 1, 1),
            effective_to=None,
            rules={"coding": {"max_units_per_day": {"ZZZZZ": 4}}},
        )
    assert _rows(payer) == before


# ---- a version in force: its past stays, its changes become a new version ---------------------------


@pytest.fixture
def in_force(practice):
    """A payer with a version in force since 2026-01-01 (today is 2026-06-15)."""
    payer = PayerFactory(practice=practice)
    return payer, PayerRuleSetFactory(
        payer=payer, effective_from=date(2026, 1, 1), rules={"cosign_required": True}
    )


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("other rules", {"rules": MEDICARE_LIKE}, "__all__"),
        ("another first day", {"effective_from": date(2026, 2, 1)}, "effective_from"),
        ("an end before today", {"effective_to": date(2026, 6, 14)}, "effective_to"),
    ],
)
@time_machine.travel(NOON_2026_06_15, tick=False)
def test_a_version_in_force_is_not_rewritten_in_place(admin_access, in_force, _case, changes, field):
    payer, rule_set = in_force
    before = _rows(payer)
    values = {"effective_from": date(2026, 1, 1), "effective_to": None, "rules": {"cosign_required": True}}

    with pytest.raises(ValidationFailed) as raised:
        payer_rule_set_update(
            access=admin_access, payer_pk=payer.pk, rule_set_id=rule_set.pk, **{**values, **changes}
        )

    assert list(raised.value.field_errors) == [field]
    assert _rows(payer) == before


@pytest.mark.parametrize("end", [date(2026, 6, 15), date(2026, 12, 31)])
@time_machine.travel(NOON_2026_06_15, tick=False)
def test_a_version_in_force_may_get_notes_and_an_end_from_today(admin_access, in_force, end):
    payer, rule_set = in_force

    payer_rule_set_update(
        access=admin_access,
        payer_pk=payer.pk,
        rule_set_id=rule_set.pk,
        effective_from=date(2026, 1, 1),
        effective_to=end,
        rules={"cosign_required": True},
        notes="ends with the contract",
    )

    rule_set.refresh_from_db()
    assert (rule_set.effective_to, rule_set.notes) == (end, "ends with the contract")


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_revising_a_version_in_force_cuts_a_new_version_from_the_chosen_day(admin_access, in_force):
    payer, old = in_force

    new = payer_rule_set_revise(
        access=admin_access,
        payer_pk=payer.pk,
        rule_set_id=old.pk,
        change_from=date(2026, 7, 1),
        rules=MEDICARE_LIKE,
        notes="2026 mid-year bulletin",
    )

    old.refresh_from_db()
    assert (old.effective_from, old.effective_to, old.rules["cosign_required"]) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        True,
    )
    assert old.rules == {"cosign_required": True}  # untouched: past claims keep their rules
    assert (new.effective_from, new.effective_to, new.notes) == (
        date(2026, 7, 1),
        None,
        "2026 mid-year bulletin",
    )
    assert new.rules["coding"]["unit_rule"] == "cms_8_minute"
    assert (
        selectors.payer_policy_on(payer_pk=payer.pk, on=date(2026, 6, 30)).coding.unit_rule.value
        == "cpt_midpoint"
    )
    assert (
        selectors.payer_policy_on(payer_pk=payer.pk, on=date(2026, 7, 1)).coding.unit_rule.value
        == "cms_8_minute"
    )


@pytest.mark.parametrize(
    ("_case", "end", "change_from", "ok"),
    [
        ("the version's first day", None, date(2026, 1, 1), False),
        ("the day after its first day", None, date(2026, 1, 2), True),
        ("a past day: a deliberate correction", None, date(2026, 3, 1), True),
        ("its last day", date(2026, 12, 31), date(2026, 12, 31), True),
        ("the day after its last", date(2026, 12, 31), date(2027, 1, 1), False),
    ],
)
@time_machine.travel(NOON_2026_06_15, tick=False)
def test_the_day_changes_start_on(admin_access, in_force, _case, end, change_from, ok):
    payer, old = in_force
    if end is not None:
        PayerRuleSet.objects.filter(pk=old.pk).update(effective_to=end)
    before = _rows(payer)

    def revise():
        return payer_rule_set_revise(
            access=admin_access,
            payer_pk=payer.pk,
            rule_set_id=old.pk,
            change_from=change_from,
            rules=MEDICARE_LIKE,
        )

    if ok:
        new = revise()
        assert (new.effective_from, new.effective_to) == (change_from, end)
        assert _rows(payer)[0][:2] == (date(2026, 1, 1), change_from.fromordinal(change_from.toordinal() - 1))
    else:
        with pytest.raises(ValidationFailed) as raised:
            revise()
        assert list(raised.value.field_errors) == ["effective_from"]
        assert _rows(payer) == before


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_a_bad_revision_leaves_the_old_version_as_it_was(admin_access, in_force):
    payer, old = in_force
    before = _rows(payer)

    with pytest.raises(ValidationFailed):
        payer_rule_set_revise(
            access=admin_access,
            payer_pk=payer.pk,
            rule_set_id=old.pk,
            change_from=date(2026, 7, 1),
            rules={"coding": {"max_units_per_day": {"ZZZZZ": 4}}},
        )

    assert _rows(payer) == before


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_a_version_not_started_is_edited_in_place_not_revised(admin_access, practice):
    payer = PayerFactory(practice=practice)
    upcoming = PayerRuleSetFactory(payer=payer, effective_from=date(2026, 6, 16))

    with pytest.raises(ValidationFailed) as raised:
        payer_rule_set_revise(
            access=admin_access,
            payer_pk=payer.pk,
            rule_set_id=upcoming.pk,
            change_from=date(2026, 7, 1),
            rules={},
        )

    assert raised.value.field_errors == {
        "effective_from": ["This version has not started yet: edit it in place."]
    }


# ---- co-signature before billing (clinical notes) ---------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "dos", "expected"),
    [("before the rules", date(2025, 12, 31), False), ("under the rules", date(2026, 1, 1), True)],
)
def test_payer_requires_cosign_follows_the_primary_payers_rules(practice, _case, dos, expected):
    # given
    patient = PatientFactory(practice=practice)
    payer = PayerFactory(practice=practice, kind="medicaid")
    CoverageFactory(patient=patient, payer=payer, effective_on=date(2025, 1, 1))
    PayerRuleSetFactory(payer=payer, effective_from=date(2026, 1, 1), rules={"cosign_required": True})
    note = SessionNoteFactory(practice=practice, patient=patient, date_of_service=dos)

    # then
    assert payer_requires_cosign(note=note) is expected


def test_no_primary_coverage_needs_no_payer_cosign(practice):
    patient = PatientFactory(practice=practice)
    note = SessionNoteFactory(practice=practice, patient=patient, date_of_service=date(2026, 1, 5))
    assert payer_requires_cosign(note=note) is False


# ---- demo seed -------------------------------------------------------------------------------------


def test_demo_seed_is_idempotent(admin_access, practice):
    # given
    payers = {
        "commercial": PayerFactory(practice=practice, kind="commercial"),
        "medicaid": PayerFactory(practice=practice, kind="medicaid"),
        "medicare": PayerFactory(practice=practice, kind="medicare"),
        "self_pay": PayerFactory(practice=practice, kind="self_pay", payer_id=""),
    }

    # when
    first = demo_payer_rules_seed(access=admin_access, payers_by_kind=payers)
    second = demo_payer_rules_seed(access=admin_access, payers_by_kind={k: p.pk for k, p in payers.items()})

    # then
    assert (first, second) == (5, 0)
    medicare = payers["medicare"].pk
    assert selectors.payer_policy_on(payer_pk=medicare, on=date(2023, 6, 1)).rendering[0].credentials == (
        "MD/DO",
        "PhD/PsyD",
        "PMHNP",
        "PA",
        "LCSW",
    )
    assert (
        "LMFT" in selectors.payer_policy_on(payer_pk=medicare, on=date(2024, 1, 1)).rendering[0].credentials
    )
    medicaid = selectors.payer_policy_on(payer_pk=payers["medicaid"].pk, on=date(2026, 1, 1))
    assert (
        medicaid.cosign_required,
        medicaid.billing_frequency.value,
        medicaid.coding.practitioner_modifiers,
    ) == (
        True,
        "monthly",
        True,
    )
    commercial = selectors.payer_coding_rules_on(payer_pk=payers["commercial"].pk, on=date(2026, 1, 1))
    assert dict(commercial.max_units_per_day) == {"97153": 32}
