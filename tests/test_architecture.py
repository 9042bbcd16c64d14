"""Architecture rules that Ruff and import-linter cannot express, checked by walking the AST.

Runs in the normal suite (STYLE.md §18). Each rule is a small function over one parsed module;
the lists below say where a rule applies, so extending a rule is a one-line change:

* NO_FLOAT_PATTERNS      modules where `float(` is banned (money and X12);
* TASK_QUEUE_METHODS     calls that queue a Celery task, allowed only in TASK_QUEUE_ALLOWED;
* PHI_MODELS             model -> owning app; `<Model>.objects` only in that app's data modules;
* VIEW_MODULES           modules (or packages) that may not import another app's models;
* print(                 banned in application code (management commands write to self.stdout);
* `tests` imports        banned in application code (the Docker image ships without tests/).

If the list of such rules grows, move them to semgrep.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Top-level folders that hold no application code.
NOT_APP_CODE = {
    ".git",
    ".venv",
    ".ci",
    "tests",
    "bench",
    "docs",
    "static",
    "staticfiles",
    "templates",
    "node_modules",
    "build",
    "dist",
    "test-results",
}

# (a) money and X12: exact arithmetic only.
NO_FLOAT_PATTERNS = ("core/money.py", "x12*.py", "*/x12*.py", "edi/*", "*/edi/*")

# (b) the one way to queue a task: core.tasks.enqueue_on_commit.
TASK_QUEUE_METHODS = {"delay", "apply_async"}
TASK_QUEUE_ALLOWED = {"core/tasks.py"}

# (c) PHI models and the app that owns each. Their managers are used only in the owning app's
# data modules (reads through selectors, writes through services), never in views/api/tasks or
# in other apps.
PHI_MODELS = {
    "Patient": "patients",
    "Guarantor": "patients",
    "Coverage": "patients",
    "PatientDiagnosis": "patients",
    "Consent": "patients",
    "CareTeamMember": "patients",
    "AuditEvent": "audit",
}
MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
PHI_ACCESS_MODULES = {"selectors", "services", "models", "admin", "lock_objects"}
PHI_ACCESS_FOLDERS = {"migrations", "management"}
# Topical siblings of selectors.py / services.py (audit/chain_selectors.py, plan_services.py).
PHI_ACCESS_SUFFIXES = ("_selectors", "_services")

# (d) the web edge never reaches into another app's tables.
VIEW_MODULES = {"views", "api"}

# (e) no print in application code.
PRINT_ALLOWED_FOLDERS = {"management"}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Module:
    path: PurePosixPath  # relative to the repository root
    tree: ast.Module

    @property
    def app(self) -> str:
        return self.path.parts[0]

    @property
    def inner_parts(self) -> tuple[str, ...]:
        """Path parts below the app folder, without the .py suffix on the last one."""
        return (*self.path.parts[1:-1], self.path.stem)


# ---- discovery ------------------------------------------------------------------------------------


def django_apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def application_files() -> list[PurePosixPath]:
    files = []
    for path in ROOT.rglob("*.py"):
        relative = PurePosixPath(path.relative_to(ROOT).as_posix())
        if len(relative.parts) < 2 or relative.parts[0] in NOT_APP_CODE:
            continue
        if relative.parts[0].startswith(".") or relative.parts[0].endswith(".egg-info"):
            continue
        files.append(relative)
    return sorted(files)


@cache
def parsed(relative: PurePosixPath) -> Module:
    source = (ROOT / relative).read_text(encoding="utf-8")
    return Module(relative, ast.parse(source, filename=str(relative)))


# ---- the rules ------------------------------------------------------------------------------------


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def rule_no_float_in_money_and_x12(module: Module) -> list[Violation]:
    if not any(fnmatch(str(module.path), pattern) for pattern in NO_FLOAT_PATTERNS):
        return []
    return [
        Violation(str(module.path), call.lineno, "float() on a money/X12 path: use Decimal or cents")
        for call in calls(module.tree)
        if isinstance(call.func, ast.Name) and call.func.id == "float"
    ]


def rule_tasks_queued_only_through_enqueue_on_commit(module: Module) -> list[Violation]:
    if str(module.path) in TASK_QUEUE_ALLOWED:
        return []
    return [
        Violation(
            str(module.path),
            call.lineno,
            f".{call.func.attr}() queues a task directly: use core.tasks.enqueue_on_commit",
        )
        for call in calls(module.tree)
        if isinstance(call.func, ast.Attribute) and call.func.attr in TASK_QUEUE_METHODS
    ]


def imported_model_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> model class name, for `from x.models import Model [as Alias]`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "models":
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
    return names


def rule_phi_managers_only_in_owning_data_modules(module: Module) -> list[Violation]:
    inner = module.inner_parts
    aliases = imported_model_names(module.tree)
    found = []
    for node in ast.walk(module.tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES):
            continue
        target = node.value
        if isinstance(target, ast.Name):
            model = aliases.get(target.id, target.id)
        elif isinstance(target, ast.Attribute):  # e.g. models.Patient.objects
            model = target.attr
        else:
            continue
        owner = PHI_MODELS.get(model)
        if owner is None:
            continue
        in_owner_data_module = module.app == owner and (
            inner[0] in PHI_ACCESS_MODULES
            or inner[0].endswith(PHI_ACCESS_SUFFIXES)
            or inner[0] in PHI_ACCESS_FOLDERS
        )
        if not in_owner_data_module:
            found.append(
                Violation(
                    str(module.path),
                    node.lineno,
                    f"{model}.{node.attr} outside {owner}'s selectors/services: "
                    f"read PHI through {owner}.selectors (scoped and audited)",
                )
            )
    return found


def rule_views_import_no_other_apps_models(module: Module) -> list[Violation]:
    if not any(part in VIEW_MODULES for part in module.inner_parts):
        return []
    others = django_apps() - {module.app}
    found = []
    for node in ast.walk(module.tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for target in targets:
            parts = target.split(".")
            if len(parts) >= 2 and parts[0] in others and parts[1] == "models":
                found.append(
                    Violation(
                        str(module.path),
                        node.lineno,
                        f"imports {parts[0]}.models: call {parts[0]}'s selectors/services instead",
                    )
                )
                break
    return found


def rule_no_print(module: Module) -> list[Violation]:
    if any(part in PRINT_ALLOWED_FOLDERS for part in module.inner_parts):
        return []
    return [
        Violation(str(module.path), call.lineno, "print() in application code: use logging (no PHI)")
        for call in calls(module.tree)
        if isinstance(call.func, ast.Name) and call.func.id == "print"
    ]


def rule_no_imports_from_tests(module: Module) -> list[Violation]:
    found = []
    for node in ast.walk(module.tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        if any(name == "tests" or name.startswith("tests.") for name in names):
            found.append(
                Violation(str(module.path), node.lineno, "imports tests: the image ships without tests/")
            )
    return found


RULES: dict[str, Callable[[Module], list[Violation]]] = {
    "no_float_in_money_and_x12": rule_no_float_in_money_and_x12,
    "tasks_queued_only_through_enqueue_on_commit": rule_tasks_queued_only_through_enqueue_on_commit,
    "phi_managers_only_in_owning_data_modules": rule_phi_managers_only_in_owning_data_modules,
    "views_import_no_other_apps_models": rule_views_import_no_other_apps_models,
    "no_print_in_application_code": rule_no_print,
    "no_imports_from_tests": rule_no_imports_from_tests,
}


# ---- the tree obeys every rule -------------------------------------------------------------------


def test_application_code_is_found() -> None:
    # given
    files = {str(path) for path in application_files()}

    # then: the walk sees the code the rules are about (and no tests)
    assert {"core/money.py", "core/tasks.py", "patients/models.py", "billing/urls.py"} <= files
    assert not any(path.startswith("tests/") for path in files)
    assert {"core", "accounts", "audit", "patients"} <= django_apps()


def test_every_application_module_parses() -> None:
    # when
    broken = []
    for path in application_files():
        try:
            parsed(path)
        except SyntaxError as error:
            broken.append(f"{path}:{error.lineno}: {error.msg}")

    # then
    assert broken == []


@pytest.mark.parametrize("rule_name", sorted(RULES))
def test_the_tree_obeys(rule_name: str) -> None:
    # given
    rule = RULES[rule_name]

    # when
    violations = []
    for path in application_files():
        try:
            module = parsed(path)
        except SyntaxError:
            continue  # reported by test_every_application_module_parses
        violations.extend(str(violation) for violation in rule(module))

    # then
    assert violations == []


# ---- the rules catch what they are meant to (so a passing tree means something) ----------------


def module_from(path: str, source: str) -> Module:
    return Module(PurePosixPath(path), ast.parse(source))


@pytest.mark.parametrize(
    ("_case", "rule_name", "path", "source", "expected_lines"),
    [
        ("float in money", "no_float_in_money_and_x12", "core/money.py", "x = float('1.0')\n", [1]),
        ("float in x12 module", "no_float_in_money_and_x12", "claims/domain/x12_837p.py", "\nfloat(a)\n", [2]),
        ("float in edi", "no_float_in_money_and_x12", "edi/parse/segments.py", "float(a)\n", [1]),
        ("float elsewhere is not this rule", "no_float_in_money_and_x12", "practice/views.py", "float(a)\n", []),
        ("delay in a service", "tasks_queued_only_through_enqueue_on_commit", "claims/services.py",
         "claim_submit_task.delay(claim_id=1)\n", [1]),
        ("apply_async in a view", "tasks_queued_only_through_enqueue_on_commit", "claims/views.py",
         "t.apply_async(kwargs={})\n", [1]),
        ("the helper itself", "tasks_queued_only_through_enqueue_on_commit", "core/tasks.py",
         "task.apply_async(kwargs=kwargs)\n", []),
        ("Patient.objects in a view", "phi_managers_only_in_owning_data_modules", "patients/views.py",
         "from patients.models import Patient\nPatient.objects.all()\n", [2]),
        ("aliased model in another app", "phi_managers_only_in_owning_data_modules", "claims/services.py",
         "from patients.models import Coverage as C\nC.objects.get(pk=1)\n", [2]),
        ("module attribute access", "phi_managers_only_in_owning_data_modules", "claims/tasks.py",
         "from audit import models\nmodels.AuditEvent._default_manager.count()\n", [2]),
        ("own selectors", "phi_managers_only_in_owning_data_modules", "patients/selectors.py",
         "Patient.objects.filter(practice_id=1)\n", []),
        ("own services package", "phi_managers_only_in_owning_data_modules", "patients/services/intake.py",
         "Consent.objects.create()\n", []),
        ("own topical selectors", "phi_managers_only_in_owning_data_modules", "audit/chain_selectors.py",
         "AuditEvent.objects.order_by('seq')\n", []),
        ("another app's topical selectors", "phi_managers_only_in_owning_data_modules",
         "claims/chain_selectors.py", "from audit.models import AuditEvent\nAuditEvent.objects.all()\n", [2]),
        ("own migration", "phi_managers_only_in_owning_data_modules", "audit/migrations/0002_x.py",
         "AuditEvent.objects.none()\n", []),
        ("a non-PHI model", "phi_managers_only_in_owning_data_modules", "practice/views.py",
         "Location.objects.all()\n", []),
        ("view imports another app's models", "views_import_no_other_apps_models", "claims/views.py",
         "from patients.models import Patient\n", [1]),
        ("api package imports a models module", "views_import_no_other_apps_models", "claims/api/submit.py",
         "import payers.models\n", [1]),
        ("from-import of the models module", "views_import_no_other_apps_models", "claims/api.py",
         "from patients import models\n", [1]),
        ("own models are fine", "views_import_no_other_apps_models", "patients/views.py",
         "from patients.models import Patient\n", []),
        ("other app's selectors are fine", "views_import_no_other_apps_models", "claims/views.py",
         "from patients.selectors import patient_get_for_user\n", []),
        ("print in a service", "no_print_in_application_code", "claims/services.py", "print(1)\n", [1]),
        ("print in a command", "no_print_in_application_code", "core/management/commands/seed_demo.py",
         "print(1)\n", []),
        ("a command importing factories", "no_imports_from_tests", "demo/management/commands/seed_demo.py",
         "from tests.factories import PatientFactory\n", [1]),
        ("a module named like tests", "no_imports_from_tests", "core/views.py", "import testsuite\n", []),
    ],
)  # fmt: skip
def test_rule_examples(_case: str, rule_name: str, path: str, source: str, expected_lines: list[int]) -> None:
    # when
    violations = RULES[rule_name](module_from(path, source))

    # then
    assert [violation.line for violation in violations] == expected_lines
