"""`manage.py suggest_codes`: one JSON object out; bad input is a CommandError and writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from coding.domain.types import UnitRule
from coding.models import CodeSetEntry
from core.errors import NotFound
from payer_rules.selectors import payer_coding_rules_on
from payers.selectors import payer_for_coding
from tests.factories import PayerFactory, PracticeFactory

pytestmark = pytest.mark.django_db

DATE = ["--date", "2026-03-02"]
ROOT = Path(__file__).resolve().parents[2]


def suggest(*args: str) -> dict:
    out = StringIO()
    call_command("suggest_codes", *args, stdout=out)
    text = out.getvalue()
    assert text.count("\n") <= 1  # one JSON object
    return json.loads(text)


def test_crisis_example_prints_exact_lines():
    # when
    output = suggest("--service", "crisis_psychotherapy", "--minutes", "80", *DATE)

    # then
    assert output == {
        "lines": [
            {"code": "90839", "units": 1, "modifiers": [], "pos": "11"},
            {"code": "90840", "units": 1, "modifiers": [], "pos": "11"},
        ],
        "problems": [],
        "why": [
            "Rules applied: CPT rules (no payer).",
            "No rendering credential given: the checks of who may bill a code were skipped.",
            "80 minutes of crisis psychotherapy (30 or more): 90839 once for the date.",
            "Crisis time beyond 74 minutes: +90840 x1 (one at 75 minutes, one more for each further 30 minutes).",
        ],
    }


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (["--service", "individual_psychotherapy", "--minutes", "37"], [["90832", 1, [], "11"]]),
        (
            ["--service", "individual_psychotherapy", "--minutes", "38", "--pos", "53"],
            [["90834", 1, [], "53"]],
        ),
        (
            ["--service", "individual_psychotherapy", "--minutes", "53", "--interactive-complexity"],
            [["90837", 1, [], "11"], ["90785", 1, [], "11"]],
        ),
        (
            [
                "--service",
                "individual_psychotherapy",
                "--minutes",
                "45",
                "--with-em",
                "--em-code",
                "99214",
                "--credential",
                "PMHNP",
            ],
            [["99214", 1, [], "11"], ["90836", 1, [], "11"]],
        ),
        (["--service", "family_psychotherapy_with_patient", "--minutes", "26"], [["90847", 1, [], "11"]]),
        (
            ["--service", "family_psychotherapy_with_patient", "--minutes", "50", "--patient-present", "no"],
            [["90846", 1, [], "11"]],
        ),
        (["--service", "group_psychotherapy", "--minutes", "90"], [["90853", 1, [], "11"]]),
        (
            ["--service", "diagnostic_evaluation", "--minutes", "60", "--credential", "MD/DO"],
            [["90792", 1, [], "11"]],
        ),
        (
            ["--service", "aba_technician_treatment", "--minutes", "23", "--credential", "RBT"],
            [["97153", 2, [], "11"]],
        ),
        (
            ["--service", "individual_psychotherapy", "--minutes", "45", "--telehealth", "audio_video"],
            [["90834", 1, ["95"], "10"]],
        ),
        (
            [
                "--service",
                "individual_psychotherapy",
                "--minutes",
                "45",
                "--telehealth",
                "audio_only",
                "--pos",
                "02",
            ],
            [["90834", 1, ["93"], "02"]],
        ),
    ],
)
def test_lines_without_a_payer(args, lines):
    # when
    output = suggest(*args, *DATE)

    # then
    assert [
        [line["code"], line["units"], line["modifiers"], line["pos"]] for line in output["lines"]
    ] == lines
    assert all(set(line) == {"code", "units", "modifiers", "pos"} for line in output["lines"])


def test_problems_are_listed_with_code_severity_and_message():
    # when
    output = suggest("--service", "individual_psychotherapy", "--minutes", "12", *DATE)

    # then
    assert output["lines"] == []
    assert output["problems"] == [
        {
            "code": "time_below_minimum",
            "severity": "error",
            "message": "12 minutes of psychotherapy is under the 16 minutes a psychotherapy code needs; "
            "no psychotherapy code is billable.",
        }
    ]


@pytest.mark.parametrize(
    ("kind", "args", "lines"),
    [
        (
            "medicaid",
            [
                "--service",
                "aba_technician_treatment",
                "--minutes",
                "40",
                "--credential",
                "RBT",
                "--telehealth",
                "audio_video",
            ],
            [["H2019", 3, ["HM", "95"], "10"]],
        ),
        (
            "medicaid",
            ["--service", "individual_psychotherapy", "--minutes", "45", "--credential", "LCSW"],
            [["90834", 1, ["HO"], "11"]],
        ),
        (
            "medicare",
            [
                "--service",
                "individual_psychotherapy",
                "--minutes",
                "45",
                "--credential",
                "LCSW",
                "--telehealth",
                "audio_video",
            ],
            [["90834", 1, [], "10"]],
        ),
        (
            "commercial",
            [
                "--service",
                "individual_psychotherapy",
                "--minutes",
                "60",
                "--credential",
                "LPC",
                "--telehealth",
                "audio_video",
                "--pos",
                "02",
            ],
            [["90837", 1, ["95"], "02"]],
        ),
        (
            "commercial",
            ["--service", "aba_technician_treatment", "--minutes", "40", "--credential", "RBT"],
            [["97153", 3, [], "11"]],
        ),
    ],
)
def test_payer_kind_defaults(kind, args, lines):
    # given
    PayerFactory(payer_id="P-123", kind=kind, name="Test Plan")

    # when
    output = suggest(*args, "--payer", "P-123", *DATE)

    # then
    assert [
        [line["code"], line["units"], line["modifiers"], line["pos"]] for line in output["lines"]
    ] == lines
    assert output["why"][0] == f"Rules applied: Test Plan ({kind} defaults)."


def test_payer_shared_by_practices_uses_the_first():
    # given
    first = PayerFactory(payer_id="SHARED", kind="medicare", practice=PracticeFactory())
    PayerFactory(payer_id="SHARED", kind="medicaid", practice=PracticeFactory())

    # when
    payer = payer_for_coding(payer_id=" SHARED ")

    # then
    assert (payer.payer_pk, payer.kind) == (first.pk, "medicare")
    assert payer_coding_rules_on(payer_pk=payer.payer_pk, on=None).unit_rule is UnitRule.CMS_8_MINUTE


def test_unknown_payer_id_is_not_found():
    with pytest.raises(NotFound):
        payer_for_coding(payer_id="NOPE")


def test_diagnoses_add_pointers_and_the_claim_list():
    # when
    output = suggest(
        "--service",
        "individual_psychotherapy",
        "--minutes",
        "45",
        "--diagnosis",
        "f321",
        "--diagnosis",
        "F43.23",
        *DATE,
    )

    # then
    assert output["lines"] == [
        {"code": "90834", "units": 1, "modifiers": [], "pos": "11", "diagnosis_pointers": [1, 2]}
    ]
    assert output["diagnoses"] == ["F32.1", "F43.23"]
    assert output["problems"] == []


def test_a_header_diagnosis_is_a_problem_not_an_input_error():
    # when
    output = suggest(
        "--service", "individual_psychotherapy", "--minutes", "45", "--diagnosis", "F43.2", *DATE
    )

    # then
    assert output["problems"] == [
        {
            "code": "diagnosis_not_billable",
            "severity": "error",
            "message": "F43.2 is a header, not a billable code: a more specific code is needed.",
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--service", "massage", "--minutes", "30"],
            "Unknown service type 'massage'. Use one of: diagnostic_evaluation,",
        ),
        (["--service", "group_psychotherapy", "--minutes", "-5"], "--minutes cannot be negative (-5)."),
        (
            ["--service", "group_psychotherapy", "--minutes", "ten"],
            "--minutes must be a whole number, not 'ten'.",
        ),
        (
            ["--service", "group_psychotherapy", "--minutes", "30", "--payer", "NOPE"],
            "No payer has the electronic payer ID 'NOPE'.",
        ),
        (
            ["--service", "group_psychotherapy", "--minutes", "30", "--date", "2026-02-30"],
            "--date must be YYYY-MM-DD, not '2026-02-30'.",
        ),
        (
            ["--service", "group_psychotherapy", "--minutes", "30", "--credential", "Wizard"],
            "Unknown credential 'Wizard'. Use one of:",
        ),
        (
            ["--service", "group_psychotherapy", "--minutes", "30", "--telehealth", "carrier_pigeon"],
            "--telehealth must be none, audio_video or audio_only, not 'carrier_pigeon'.",
        ),
        (
            ["--service", "group_psychotherapy", "--minutes", "30", "--pos", "77"],
            "Unknown place of service '77' on 2026-03-02 (e.g. 11 office, 10 home).",
        ),
        (
            ["--service", "group_psychotherapy", "--minutes", "30", "--diagnosis", "F99.99"],
            "Unknown ICD-10-CM diagnosis code(s): F99.99.",
        ),
    ],
)
def test_bad_input_is_a_command_error_and_writes_nothing(args, message):
    # given
    before = CodeSetEntry.objects.count()
    out = StringIO()

    # when
    with pytest.raises(CommandError) as raised:
        call_command(
            "suggest_codes", *args, "--date", "2026-03-02", stdout=out
        ) if "--date" not in args else call_command("suggest_codes", *args, stdout=out)

    # then
    assert str(raised.value).startswith(message)
    assert out.getvalue() == ""
    assert CodeSetEntry.objects.count() == before


def test_bad_input_exits_non_zero_with_the_message_on_stderr():
    # when: the real command line
    done = subprocess.run(
        [sys.executable, "manage.py", "suggest_codes", "--service", "nope", "--minutes", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "billing.settings.test"},
        check=False,
    )

    # then
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("CommandError: Unknown service type 'nope'.")
