"""Payer-rules screens: versions on the payer, admin-only edits, errors on the form, "try it"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from payer_rules.demo_rules import MEDICAID
from payer_rules.forms import RuleSetForms
from payer_rules.models import PayerRuleSet
from tests.factories import PayerFactory
from tests.factories.authorizations import PayerRuleSetFactory

pytestmark = pytest.mark.django_db
NOON_2026_06_15 = datetime(2026, 6, 15, 17, 0, tzinfo=UTC)  # noon in Chicago, the factories' zone


@pytest.fixture
def web(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


@pytest.fixture
def medicaid(practice):
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    rule_set = PayerRuleSetFactory(
        payer=payer, effective_from=date(2024, 1, 1), rules=MEDICAID.rules, notes="MCO manual 2024"
    )
    return payer, rule_set


def form_data(**overrides):
    """A complete POST of the rule-set form (every group; one row per list group)."""
    data = {
        "version-effective_from": "2027-01-01",
        "version-effective_to": "",
        "version-notes": "2027 manual",
        "coding-unit_rule": "cpt_midpoint",
        "coding-distinct_modifier": "59",
        "telehealth-telehealth_pos": "telehealth_pos",
        "telehealth-video_modifier": "95",
        "telehealth-audio_only_modifier": "93",
        "telehealth-audio_only_allowed": "on",
        "rendering_default-unlisted_rendering": "rendering",
        "billing-billing_frequency": "per_session",
        "billing-timely_filing_days": "",
        "billing-appeal_window_days": "",
    }
    for key in (
        "rendering",
        "code_substitutions",
        "crosswalk",
        "prior_auth",
        "max_units_per_day",
        "visit_limits",
        "diagnosis_age",
        "same_day",
    ):
        data |= {
            f"{key}-TOTAL_FORMS": "2",
            f"{key}-INITIAL_FORMS": "0",
            f"{key}-MIN_NUM_FORMS": "0",
            f"{key}-MAX_NUM_FORMS": "1000",
        }
    # what a browser posts for the empty rows' selects (their initial values)
    data |= {f"rendering-{i}-billing": "rendering" for i in range(2)}
    data |= {f"diagnosis_age-{i}-severity": "warning" for i in range(2)}
    data |= {f"same_day-{i}-same_provider": "yes" for i in range(2)}
    data |= {f"same_day-{i}-severity": "error" for i in range(2)}
    data |= {
        "prior_auth-0-codes": "97153, 97155",
        "prior_auth-0-after_visits_per_year": "",
        "prior_auth-1-codes": "90837",
        "prior_auth-1-after_visits_per_year": "20",
        "max_units_per_day-0-code": "97153",
        "max_units_per_day-0-units": "32",
    }
    return data | overrides


# ---- detail and versions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("biller", 200), ("practice_admin", 200), ("clinician", 403)])
def test_payer_detail_access(web, medicaid, role, status):
    payer, _ = medicaid
    assert web(role).get(reverse("payers:detail", args=[payer.pk])).status_code == status


def test_payer_detail_lists_versions(web, medicaid):
    # given
    payer, rule_set = medicaid

    # when
    response = web("biller").get(reverse("payers:detail", args=[payer.pk]))

    # then
    (row,) = response.context["versions"]
    assert (row.period, row.state, row.notes) == ("from Mon 1 Jan 2024", "In force", "MCO manual 2024")
    assert response.context["can_manage"] is False
    assert "New rules version" not in response.content.decode()


def test_rule_set_detail_summarises_the_rules(web, medicaid):
    payer, rule_set = medicaid
    response = web("biller").get(reverse("payers:rule_set_detail", args=[payer.pk, rule_set.pk]))
    groups = {g.title: g.items for g in response.context["groups"]}
    assert groups["Who renders"] == (
        "RBT, BHT rendering 97153, H2019, H2014: renders; supervising provider on the claim.",
        "BHT rendering H0004: renders; supervising provider on the claim.",
        "RBT, BHT rendering any code: may not render.",
        "Anyone else: bills as the rendering provider.",
    )
    assert groups["Billing"][1] == "Co-signature before billing: required."


def test_other_practices_rule_set_is_404(web, other_practice):
    rule_set = PayerRuleSetFactory(payer=PayerFactory(practice=other_practice))
    url = reverse("payers:rule_set_detail", args=[rule_set.payer_id, rule_set.pk])
    assert web("practice_admin").get(url).status_code == 404


# ---- try it ----------------------------------------------------------------------------------------


def test_try_it_codes_a_sample_session_with_the_versions_rules(web, medicaid):
    # given
    payer, rule_set = medicaid
    url = reverse("payers:rule_set_detail", args=[payer.pk, rule_set.pk])
    query = {
        "try-service_type": "aba_technician_treatment",
        "try-minutes": "60",
        "try-credential": "RBT",
        "try-telehealth": "",
        "try-place_of_service": "12",
        "try-date_of_service": "2026-03-02",
        "try-diagnoses": "F84.0",
        "try-patient_age": "7",
        "try-visits_before": "0",
    }

    # when
    response = web("biller").get(url, query)

    # then
    result = response.context["result"]
    assert [(line.code, line.units, line.modifiers, line.pos) for line in result.lines] == [
        ("97153", 4, "HM", "12")
    ]
    assert [(p.severity, p.code) for p in result.problems] == [("warning", "payer_prior_auth_required")]
    assert result.rendering == ("97153: Renders; supervising provider on the claim",)
    assert (
        "CPT midpoint rule: 60 minutes of 97153 make 4 unit(s) (a unit counts from 8 minutes; 8-22 = 1, 23-37 = 2)."
        in result.why
    )
    assert PayerRuleSet.objects.count() == 1


def test_try_it_flags_a_date_outside_the_version(web, practice):
    payer = PayerFactory(practice=practice)
    rule_set = PayerRuleSetFactory(
        payer=payer, effective_from=date(2024, 1, 1), effective_to=date(2024, 12, 31)
    )
    response = web("biller").get(
        reverse("payers:rule_set_detail", args=[payer.pk, rule_set.pk]),
        {
            "try-service_type": "individual_psychotherapy",
            "try-minutes": "10",
            "try-place_of_service": "11",
            "try-date_of_service": "2026-01-05",
        },
    )
    codes = [p.code for p in response.context["result"].problems]
    assert codes == ["rule_set_not_in_force", "time_below_minimum"]
    assert response.context["result"].lines == ()


def test_try_it_bad_input_shows_errors(web, medicaid):
    payer, rule_set = medicaid
    response = web("biller").get(
        reverse("payers:rule_set_detail", args=[payer.pk, rule_set.pk]),
        {"try-service_type": "juggling", "try-minutes": "-5", "try-date_of_service": "2026-01-05"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"service_type", "minutes", "place_of_service"}
    assert response.context["result"] is None


# ---- create and edit (admins) ----------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("biller", 403), ("practice_admin", 200)])
def test_new_version_is_admin_only(web, medicaid, role, status):
    payer, _ = medicaid
    assert web(role).get(reverse("payers:rule_set_create", args=[payer.pk])).status_code == status


def test_biller_cannot_post_a_version(web, medicaid):
    payer, _ = medicaid
    response = web("biller").post(reverse("payers:rule_set_create", args=[payer.pk]), form_data())
    assert response.status_code == 403
    assert PayerRuleSet.objects.count() == 1


def test_new_version_starts_as_a_copy_of_the_current_one(web, medicaid):
    # given
    payer, rule_set = medicaid

    # when
    response = web("practice_admin").get(reverse("payers:rule_set_create", args=[payer.pk]))

    # then
    forms: RuleSetForms = response.context["forms"]
    assert forms.billing.initial["billing_frequency"] == "monthly"
    assert forms.coding.initial["practitioner_modifiers"] is True
    assert forms.formsets["rendering"].initial[0] == {
        "credentials": "RBT, BHT",
        "codes": "97153, H2019, H2014",
        "billing": "with_supervisor",
    }


def test_create_through_the_form(web, medicaid):
    # given
    payer, first = medicaid

    # when
    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), form_data())

    # then
    new = PayerRuleSet.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payers:rule_set_detail", args=[payer.pk, new.pk])
    assert new.rules["prior_auth"] == [
        {"codes": ["97153", "97155"], "after_visits_per_year": None},
        {"codes": ["90837"], "after_visits_per_year": 20},
    ]
    assert new.rules["coding"]["max_units_per_day"] == {"97153": 32}
    first.refresh_from_db()
    assert first.effective_to == date(2026, 12, 31)


@pytest.mark.parametrize(("given", "stored"), [("", 180), ("0", 0), ("90", 90)])
def test_c13_the_evaluation_repeat_window_through_the_form(web, medicaid, given, stored):
    payer, first = medicaid

    response = web("practice_admin").post(
        reverse("payers:rule_set_create", args=[payer.pk]),
        form_data(**{"coding-evaluation_repeat_days": given}),
    )

    assert response.status_code == 302
    assert PayerRuleSet.objects.exclude(pk=first.pk).get().rules["coding"]["evaluation_repeat_days"] == stored


def test_c13_an_evaluation_repeat_window_over_a_year_is_refused(web, medicaid):
    payer, first = medicaid

    response = web("practice_admin").post(
        reverse("payers:rule_set_create", args=[payer.pk]),
        form_data(**{"coding-evaluation_repeat_days": "400"}),
    )

    assert response.status_code == 400
    assert not PayerRuleSet.objects.exclude(pk=first.pk).exists()


def test_a_same_day_override_and_a_payer_rule_of_its_own_through_the_form(web, medicaid):
    # given: the default diagnostic-evaluation rule made an error, and a pair of the payer's own
    payer, first = medicaid
    data = form_data(
        **{
            "same_day-0-rule": "diagnostic_evaluation_with_psychotherapy",
            "same_day-1-rule": "Family with group",
            "same_day-1-codes": "90847",
            "same_day-1-with_codes": "90853",
            "same_day-1-same_provider": "no",
            "same_day-1-severity": "warning",
            "same_day-1-why": "this plan pays one family or group session a day",
        }
    )

    # when
    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)

    # then
    new = PayerRuleSet.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert new.rules["same_day"] == [
        {
            "rule": "diagnostic_evaluation_with_psychotherapy",
            "codes": [],
            "with_codes": [],
            "same_provider": True,
            "severity": "error",
            "why": "",
            "fix_hint": "",
        },
        {
            "rule": "family_with_group",
            "codes": ["90847"],
            "with_codes": ["90853"],
            "same_provider": False,
            "severity": "warning",
            "why": "this plan pays one family or group session a day",
            "fix_hint": "",
        },
    ]


def test_a_new_same_day_rule_needs_codes_on_both_sides_and_nothing_is_written(web, medicaid):
    # given: a name that is not a default, with one side empty
    payer, first = medicaid
    data = form_data(**{"same_day-0-rule": "family_with_group", "same_day-0-codes": "90847"})

    # when
    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)

    # then
    assert response.status_code == 400
    assert response.context["forms"].formsets["same_day"].forms[0].errors == {
        "with_codes": ["List at least one code."]
    }
    assert list(PayerRuleSet.objects.values_list("pk", flat=True)) == [first.pk]


def test_invalid_code_is_shown_on_its_row_and_nothing_is_written(web, medicaid):
    # given
    payer, first = medicaid
    data = form_data(**{"prior_auth-1-codes": "90837, 12345"})

    # when
    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)

    # then
    assert response.status_code == 400
    forms = response.context["forms"]
    assert forms.formsets["prior_auth"].forms[1].errors == {
        "codes": ["12345 is not a CPT or HCPCS code in the code set."]
    }
    assert forms.formsets["prior_auth"].forms[0].errors == {}
    assert "Nothing was saved" in response.content.decode()
    assert PayerRuleSet.objects.count() == 1
    first.refresh_from_db()
    assert first.effective_to is None


def test_overlapping_dates_show_on_the_version_form(web, medicaid):
    payer, _ = medicaid
    data = form_data(**{"version-effective_from": "2024-01-01"})
    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)
    assert response.status_code == 400
    assert list(response.context["forms"].version.errors) == ["effective_from"]
    assert PayerRuleSet.objects.count() == 1


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_editing_a_version_in_force_saves_a_new_version_from_the_chosen_day(web, medicaid):
    # given: the Medicaid version in force since 2024-01-01
    payer, old = medicaid
    client = web("practice_admin")
    url = reverse("payers:rule_set_edit", args=[payer.pk, old.pk])
    page = client.get(url)
    assert page.context["forms"].revise is True
    assert page.context["forms"].version.initial["effective_from"] == date(2026, 6, 15)
    assert "These rules are in force since Mon 1 Jan 2024" in page.content.decode()
    assert "Save as a new version" in page.content.decode()
    before = dict(old.rules)

    # when
    data = form_data(**{"version-effective_from": "2026-07-01", "billing-cosign_required": "on"})
    response = client.post(url, data | {"action": "save"})

    # then
    new = PayerRuleSet.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payers:rule_set_detail", args=[payer.pk, new.pk])
    old.refresh_from_db()
    assert (old.effective_to, old.rules) == (date(2026, 6, 30), before)
    assert (new.effective_from, new.effective_to, new.rules["cosign_required"], new.notes) == (
        date(2026, 7, 1),
        None,
        True,
        "2027 manual",
    )


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_a_change_from_the_first_day_of_a_version_in_force_is_refused_on_the_form(web, medicaid):
    payer, old = medicaid
    data = form_data(**{"version-effective_from": "2024-01-01"})

    response = web("practice_admin").post(reverse("payers:rule_set_edit", args=[payer.pk, old.pk]), data)

    assert response.status_code == 400
    assert list(response.context["forms"].version.errors) == ["effective_from"]
    assert PayerRuleSet.objects.count() == 1


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_a_version_not_started_is_edited_in_place(web, practice):
    payer = PayerFactory(practice=practice)
    upcoming = PayerRuleSetFactory(payer=payer, effective_from=date(2027, 1, 1), rules=MEDICAID.rules)
    data = form_data(**{"billing-cosign_required": "on"})

    response = web("practice_admin").post(reverse("payers:rule_set_edit", args=[payer.pk, upcoming.pk]), data)

    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.effective_from, upcoming.rules["cosign_required"]) == (date(2027, 1, 1), True)
    assert PayerRuleSet.objects.count() == 1


TRY = {
    "try-service_type": "aba_technician_treatment",
    "try-minutes": "60",
    "try-credential": "RBT",
    "try-place_of_service": "12",
    "try-date_of_service": "2026-07-02",
    "try-visits_before": "0",
    "action": "try",
}


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_try_it_runs_on_the_unsaved_draft(web, medicaid):
    # given: the draft switches to the CMS 8-minute rule and a daily maximum of 3 units of 97153
    payer, old = medicaid
    data = form_data(
        **{
            "version-effective_from": "2026-07-01",
            "coding-unit_rule": "cms_8_minute",
            "max_units_per_day-0-units": "3",
        }
    )

    # when
    response = web("practice_admin").post(
        reverse("payers:rule_set_edit", args=[payer.pk, old.pk]), data | TRY
    )

    # then: the result uses the draft's rules; nothing is saved
    assert response.status_code == 200
    result = response.context["result"]
    assert [(line.code, line.units) for line in result.lines] == [("97153", 3)]
    assert any("8-minute" in why for why in result.why)
    assert 'id="try-result"' in response.content.decode()
    assert PayerRuleSet.objects.count() == 1
    old.refresh_from_db()
    assert old.effective_to is None


def test_try_it_on_a_new_versions_draft_shows_the_drafts_errors(web, medicaid):
    payer, _ = medicaid
    data = form_data(**{"prior_auth-1-codes": "90837, 12345"})

    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data | TRY)

    assert response.status_code == 400
    forms = response.context["forms"]
    assert forms.formsets["prior_auth"].forms[1].errors == {
        "codes": ["12345 is not a CPT or HCPCS code in the code set."]
    }
    assert response.context["result"] is not None
    assert PayerRuleSet.objects.count() == 1


def test_diagnosis_rule_errors_land_on_the_diagnosis_field(web, medicaid):
    payer, _ = medicaid
    data = form_data(**{"diagnosis_age-0-diagnosis": "93.0", "diagnosis_age-0-max_age": "17"})
    response = web("practice_admin").post(reverse("payers:rule_set_create", args=[payer.pk]), data)
    assert response.status_code == 400
    row = response.context["forms"].formsets["diagnosis_age"].forms[0]
    assert row.errors == {"diagnosis": ["'93.0' is not the start of an ICD-10-CM code (e.g. F93.0 or F90)."]}
    assert PayerRuleSet.objects.count() == 1


def test_payer_page_shows_one_page_of_versions(web, practice):
    # given: 27 yearly versions (the page holds 25)
    payer = PayerFactory(practice=practice)
    for year in range(1990, 2017):
        PayerRuleSetFactory(payer=payer, effective_from=date(year, 1, 1), effective_to=date(year, 12, 31))
    client = web("biller")

    # when
    first = client.get(reverse("payers:detail", args=[payer.pk]))
    second = client.get(reverse("payers:detail", args=[payer.pk]), {"page": 2})

    # then
    assert [len(r.context["versions"]) for r in (first, second)] == [25, 2]
    assert first.context["versions"][0].period == "Fri 1 Jan 2016 to Sat 31 Dec 2016"
    assert (first.context["pagination"]["next_url"], second.context["pagination"]["previous_url"]) == (
        "?page=2",
        "?page=1",
    )
    assert 'id="rule-set-pages"' in first.content.decode()


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_the_eligibility_section_is_edited_through_the_form(web, practice):
    # a version not started yet is edited in place (one in force would be revised)
    payer = PayerFactory(practice=practice, kind="medicaid")
    rule_set = PayerRuleSetFactory(payer=payer, effective_from=date(2027, 1, 1), rules=MEDICAID.rules)
    data = form_data(
        **{
            "billing-eligibility_service_types": "a6, mh",
            "billing-eligibility_verify_within_days": "14",
            "billing-eligibility_enrollment_required": "on",
        }
    )
    response = web("practice_admin").post(reverse("payers:rule_set_edit", args=[payer.pk, rule_set.pk]), data)
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.rules["eligibility"] == {
        "service_types": ["A6", "MH"],
        "verify_within_days": 14,
        "enrollment_required": True,
    }


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_an_unknown_eligibility_service_type_is_refused(web, practice):
    payer = PayerFactory(practice=practice, kind="medicaid")
    rule_set = PayerRuleSetFactory(payer=payer, effective_from=date(2027, 1, 1), rules=MEDICAID.rules)
    data = form_data(**{"billing-eligibility_service_types": "ZZZ"})
    response = web("practice_admin").post(reverse("payers:rule_set_edit", args=[payer.pk, rule_set.pk]), data)
    assert response.status_code == 400
    assert "not an X12 service type code" in response.content.decode()


@time_machine.travel(NOON_2026_06_15, tick=False)
def test_the_corrections_section_is_edited_through_the_form_and_kept_on_a_later_edit(web, practice):
    payer = PayerFactory(practice=practice, kind="medicare")
    rule_set = PayerRuleSetFactory(payer=payer, effective_from=date(2027, 1, 1), rules=MEDICAID.rules)
    url = reverse("payers:rule_set_edit", args=[payer.pk, rule_set.pk])
    data = form_data(
        **{
            "billing-corrections_replacements": "yes",
            "billing-corrections_voids": "",
            "billing-corrections_replacement_lines": "changed",
            "billing-corrections_secondary_filing_from": "primary_adjudication",
            "billing-corrections_medicare_secondary_type": "12",
        }
    )
    assert web("practice_admin").post(url, data).status_code == 302
    rule_set.refresh_from_db()
    expected = {
        "replacements": True,
        "voids": None,
        "replacement_lines": "changed",
        "secondary_filing_from": "primary_adjudication",
        "medicare_secondary_type": "12",
    }
    assert rule_set.rules["corrections"] == expected
    page = web("practice_admin").get(url)
    initial = page.context["forms"].billing.initial
    assert initial["corrections_replacement_lines"] == "changed"
    assert initial["corrections_replacements"] == "yes"

    refused = web("practice_admin").post(
        url, form_data(**{"billing-corrections_medicare_secondary_type": "99"})
    )
    assert refused.status_code == 400
    assert "not a Medicare secondary payer type" in refused.content.decode()
