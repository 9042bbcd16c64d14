"""Suggest charge lines for one session and print them as one JSON object.

    python manage.py suggest_codes --service individual_psychotherapy --minutes 45
    python manage.py suggest_codes --service crisis_psychotherapy --minutes 80 --payer 12345 \\
        --credential LCSW --telehealth audio_video --date 2026-11-02

Prints {"lines": [{"code", "units", "modifiers", "pos"}], "problems": [{"code", "severity",
"message"}], "why": [...]}; with --diagnosis the lines also carry "diagnosis_pointers" and the
object a "diagnoses" list. Bad input is a CommandError (stderr, non-zero exit); nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from coding.domain.code_sets import shipped_catalog
from coding.domain.icd10 import diagnosis_problems
from coding.domain.rules import code_session
from coding.domain.types import (
    CodeKind,
    CodingResult,
    InteractiveComplexityFactor,
    PayerCodingRules,
    SessionFacts,
    Telehealth,
)
from coding.selectors import code_catalog, icd10_check, icd10_exists
from core.domain.service_types import ServiceType
from core.errors import NotFound
from payer_rules.selectors import payer_coding_rules_on
from payers.selectors import payer_for_coding
from practice.domain.credentials import Credential

TELEHEALTH_CHOICES = {
    "none": Telehealth.NONE,
    "audio_video": Telehealth.AUDIO_VIDEO,
    "audio_only": Telehealth.AUDIO_ONLY,
}


class Command(BaseCommand):
    help = "Suggest CPT/HCPCS charge lines for a session (prints one JSON object)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--service", required=True, help="Service type, e.g. individual_psychotherapy")
        parser.add_argument(
            "--minutes", required=True, help="Face-to-face minutes (crisis minutes for a crisis)"
        )
        parser.add_argument("--payer", default="", help="Electronic payer ID (omit for the CPT rules alone)")
        parser.add_argument("--credential", default="", help="Rendering credential, e.g. LCSW, RBT, MD/DO")
        parser.add_argument("--pos", default="11", help="Place of service (default 11)")
        parser.add_argument("--telehealth", default="none", help="none, audio_video or audio_only")
        parser.add_argument(
            "--interactive-complexity", action="store_true", help="Interactive complexity present"
        )
        parser.add_argument("--with-em", action="store_true", help="An E/M was done on the same visit")
        parser.add_argument("--em-code", default="", help="The E/M code (99202-99215) when --with-em")
        parser.add_argument(
            "--patient-present", choices=("yes", "no"), default=None, help="For family psychotherapy"
        )
        parser.add_argument(
            "--diagnosis", action="append", default=[], help="ICD-10-CM code, in rank order (repeatable)"
        )
        parser.add_argument("--date", default="", help="Date of service YYYY-MM-DD (default today)")
        parser.add_argument(
            "--instrument",
            action="append",
            default=[],
            help="A standardized instrument scored in the session, e.g. PHQ9 (repeatable; 96127)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = self._date(options["date"])
        facts = SessionFacts(
            service_type=self._service(options["service"]),
            date_of_service=day,
            segment_minutes=(self._minutes(options["minutes"]),),
            patient_present=None
            if options["patient_present"] is None
            else options["patient_present"] == "yes",
            telehealth=self._telehealth(options["telehealth"]),
            with_em=bool(options["with_em"] or options["em_code"]),
            em_code=options["em_code"].strip().upper(),
            interactive_complexity=(
                (InteractiveComplexityFactor.UNSPECIFIED,) if options["interactive_complexity"] else ()
            ),
            rendering_credential=self._credential(options["credential"]),
            place_of_service=options["pos"].strip(),
            diagnoses=tuple(options["diagnosis"]),
            instruments=tuple(i.strip().upper() for i in options["instrument"] if i.strip()),
        )
        catalog = code_catalog()
        if len(catalog) == 0:  # migrations not run: fall back to the shipped file
            catalog = shipped_catalog()
        if catalog.lookup(facts.place_of_service, on=day, kind=CodeKind.POS) is None:
            raise CommandError(
                f"Unknown place of service {facts.place_of_service!r} on {day} (e.g. 11 office, 10 home)."
            )
        rules = self._rules(options["payer"], day)
        diagnosis_issues = []
        if facts.diagnoses:
            unknown = [code for code in facts.diagnoses if not icd10_exists(code)]
            if unknown:
                raise CommandError(f"Unknown ICD-10-CM diagnosis code(s): {', '.join(unknown)}.")
            checks = [icd10_check(code, on=day) for code in facts.diagnoses]
            facts = replace(facts, diagnoses=tuple(c.code for c in checks))
            diagnosis_issues = diagnosis_problems(checks)
        result = code_session(facts, rules, catalog=catalog)
        self.stdout.write(
            json.dumps(_as_json(result, diagnosis_issues, with_diagnoses=bool(facts.diagnoses)))
        )

    # ---- input ---------------------------------------------------------------------------------

    def _service(self, raw: str) -> ServiceType:
        try:
            return ServiceType(raw.strip())
        except ValueError:
            valid = ", ".join(s.value for s in ServiceType)
            raise CommandError(f"Unknown service type {raw!r}. Use one of: {valid}.") from None

    def _minutes(self, raw: str) -> int:
        try:
            minutes = int(raw)
        except ValueError:
            raise CommandError(f"--minutes must be a whole number, not {raw!r}.") from None
        if minutes < 0:
            raise CommandError(f"--minutes cannot be negative ({minutes}).")
        return minutes

    def _telehealth(self, raw: str) -> Telehealth:
        try:
            return TELEHEALTH_CHOICES[raw.strip()]
        except KeyError:
            raise CommandError(
                f"--telehealth must be none, audio_video or audio_only, not {raw!r}."
            ) from None

    def _credential(self, raw: str) -> str:
        if not raw.strip():
            return ""
        try:
            return Credential(raw.strip()).value
        except ValueError:
            valid = ", ".join(c.value for c in Credential)
            raise CommandError(f"Unknown credential {raw!r}. Use one of: {valid}.") from None

    def _date(self, raw: str) -> date:
        if not raw.strip():
            return timezone.localdate()
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {raw!r}.") from None

    def _rules(self, payer_id: str, day: date) -> PayerCodingRules | None:
        if not payer_id.strip():
            return None
        try:
            payer = payer_for_coding(payer_id=payer_id)
        except NotFound as error:
            raise CommandError(error.message) from None
        return payer_coding_rules_on(payer_pk=payer.payer_pk, on=day)


def _as_json(result: CodingResult, extra_problems: list[Any], *, with_diagnoses: bool) -> dict[str, Any]:
    lines = []
    for line in result.lines:
        item: dict[str, Any] = {
            "code": line.code,
            "units": line.units,
            "modifiers": list(line.modifiers),
            "pos": line.pos,
        }
        if with_diagnoses:
            item["diagnosis_pointers"] = list(line.diagnosis_pointers)
        lines.append(item)
    problems = [
        {"code": str(p.code), "severity": str(p.severity), "message": p.message}
        for p in (*extra_problems, *result.problems)
    ]
    output: dict[str, Any] = {"lines": lines, "problems": problems, "why": list(result.why)}
    if with_diagnoses:
        output["diagnoses"] = list(result.diagnoses)
    return output
