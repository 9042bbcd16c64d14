"""Architecture rules that Ruff and import-linter cannot express, checked by walking the AST.

Runs in the normal suite (STYLE.md §18). Each rule is a small function over one parsed module;
the lists below say where a rule applies, so extending a rule is a one-line change:

Every module of every app is walked: the apps are discovered (folders with an `apps.py`), every
`*.py` below the repository root is parsed, and a module's role comes from its name (`views`,
`api`, `selectors`, ... or `<prefix>_<role>`, like `screen_selectors`). Tests below also check
that every discovered app is registered everywhere (INSTALLED_APPS, the package list, the
import-linter contracts) and that no app hides another inside it (`plan_views` + `plan_services`).

* NO_FLOAT_PATTERNS      modules where `float(` is banned (money and X12);
* TASK_QUEUE_METHODS     calls that queue a Celery task, allowed only in TASK_QUEUE_ALLOWED;
* PHI_MODELS             model -> owning app; `<Model>.objects` only in that app's data modules;
* VIEW_MODULES           modules (or packages) that may not import another app's models;
* print(                 banned in application code (management commands write to self.stdout);
* `tests` imports        banned in application code (the Docker image ships without tests/);
* DOMAIN_FORBIDDEN       what a `domain` module may not import (STYLE.md §2: pure rules).

If the list of such rules grows, move them to semgrep.
"""

from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings

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
NO_FLOAT_PATTERNS = ("core/money.py", "x12*.py", "*/x12*.py", "edi/*", "*/edi/*", "clearinghouse/*")

# (b) the ways to queue a task: core.jobs.job_enqueue_on_commit (durable) and
# core.tasks.enqueue_on_commit (fire and forget).
TASK_QUEUE_METHODS = {"delay", "apply_async"}
TASK_QUEUE_ALLOWED = {"core/tasks.py", "core/jobs.py"}

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

# (d) the web edge never reaches into another app's tables.
VIEW_MODULES = {"views", "api"}

# (e) no print in application code.
PRINT_ALLOWED_FOLDERS = {"management"}

# (f) domain modules are pure: no ORM, DRF, Celery, settings or models of any app.
DOMAIN_FORBIDDEN = ("django", "rest_framework", "celery")

# The roles of an app's modules (STYLE.md §1). A module `<prefix>_<role>` plays `<role>`.
LAYOUT_ROLES = {
    "models",
    "domain",
    "selectors",
    "services",
    "tasks",
    "api",
    "views",
    "urls",
    "admin",
    "forms",
    "lock_objects",
}


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

    @property
    def roles(self) -> tuple[str, ...]:
        """The role of each inner part: `views`, `api`, ... (`rule_views` plays `views`)."""
        return tuple(role_of(part) for part in self.inner_parts)


def role_of(name: str) -> str:
    """`selectors` -> selectors, `screen_selectors` -> selectors, `lock_objects` -> lock_objects."""
    if name in LAYOUT_ROLES:
        return name
    suffix = name.rsplit("_", 1)[-1]
    return suffix if suffix in LAYOUT_ROLES else name


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
            module.roles[0] in PHI_ACCESS_MODULES or inner[0] in PHI_ACCESS_FOLDERS
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


def imported_names(node: ast.AST) -> list[str]:
    """Absolute module names an import statement brings in (`from a import b` gives a and a.b)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def rule_views_import_no_other_apps_models(module: Module) -> list[Violation]:
    if not any(role in VIEW_MODULES for role in module.roles):
        return []
    others = django_apps() - {module.app}
    found = []
    for node in ast.walk(module.tree):
        for target in imported_names(node):
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


def rule_domain_is_pure(module: Module) -> list[Violation]:
    if "domain" not in module.inner_parts:
        return []
    found = []
    for node in ast.walk(module.tree):
        for name in imported_names(node):
            parts = name.split(".")
            if parts[0] in DOMAIN_FORBIDDEN or (len(parts) >= 2 and parts[1] == "models"):
                found.append(
                    Violation(str(module.path), node.lineno, f"imports {name}: domain rules stay pure")
                )
                break
    return found


RULES: dict[str, Callable[[Module], list[Violation]]] = {
    "no_float_in_money_and_x12": rule_no_float_in_money_and_x12,
    "tasks_queued_only_through_enqueue_on_commit": rule_tasks_queued_only_through_enqueue_on_commit,
    "phi_managers_only_in_owning_data_modules": rule_phi_managers_only_in_owning_data_modules,
    "views_import_no_other_apps_models": rule_views_import_no_other_apps_models,
    "no_print_in_application_code": rule_no_print,
    "no_imports_from_tests": rule_no_imports_from_tests,
    "domain_is_pure": rule_domain_is_pure,
}


# ---- the tree obeys every rule -------------------------------------------------------------------


def test_application_code_is_found() -> None:
    # given
    files = {str(path) for path in application_files()}

    # then: the walk sees the code the rules are about (and no tests)
    assert {"core/money.py", "core/tasks.py", "patients/models.py", "billing/urls.py"} <= files
    assert not any(path.startswith("tests/") for path in files)
    assert {"core", "accounts", "audit", "patients"} <= django_apps()


def test_every_app_module_is_walked() -> None:
    # given: every Django app, found by its apps.py
    apps = django_apps()
    walked = {path.parts[0] for path in application_files()}

    # then: each app's modules (plans and payer rules included) are in the walk
    assert {"treatment_plans", "payer_rules", "payers", "clinical_notes"} <= apps
    assert apps <= walked
    for app in apps:
        on_disk = {PurePosixPath(p.relative_to(ROOT).as_posix()) for p in (ROOT / app).rglob("*.py")}
        assert on_disk <= set(application_files()), app


def _pyproject() -> dict:  # type: ignore[type-arg]
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_every_app_is_registered_everywhere() -> None:
    # given
    apps = django_apps()
    config = _pyproject()
    shipped = {pattern.rstrip("*") for pattern in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    linter = config["tool"]["importlinter"]
    contracts = {contract["type"]: contract for contract in linter["contracts"]}
    domains = {f"{app}.domain" for app in apps if (ROOT / app / "domain").is_dir()}
    models = {f"{app}.models" for app in apps if (ROOT / app / "models.py").exists()}

    # then: installed, shipped, layered, and its domain and models in the purity contract
    assert apps <= set(settings.INSTALLED_APPS)
    assert apps <= shipped
    assert apps <= set(linter["root_packages"])
    assert apps <= set(contracts["layers"]["layers"])
    assert domains <= set(contracts["forbidden"]["source_modules"])
    assert models <= set(contracts["forbidden"]["forbidden_modules"])


def hidden_apps(paths: list[PurePosixPath]) -> dict[str, list[str]]:
    """`<app>/<prefix>_<role>.py` modules, grouped by app and prefix, when a prefix plays two
    or more layout roles: a package of its own hidden inside an app."""
    roles: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        if len(path.parts) != 2 or "_" not in path.stem or path.stem in LAYOUT_ROLES:
            continue
        prefix, _, role = path.stem.rpartition("_")
        if role in LAYOUT_ROLES:
            roles[f"{path.parts[0]}/{prefix}_*"].add(role)
    return {group: sorted(found) for group, found in roles.items() if len(found) > 1}


def test_no_app_hides_inside_another() -> None:
    assert hidden_apps(application_files()) == {}


def test_a_hidden_app_is_found() -> None:
    # given: the layout before the plans and payer rules had packages of their own
    paths = [
        PurePosixPath(p)
        for p in (
            "clinical_notes/plan_views.py",
            "clinical_notes/plan_services.py",
            "clinical_notes/screen_selectors.py",
            "payers/rule_views.py",
            "payers/rule_forms.py",
            "payers/views.py",
        )
    ]

    # then
    assert hidden_apps(paths) == {
        "clinical_notes/plan_*": ["services", "views"],
        "payers/rule_*": ["forms", "views"],
    }


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
        ("a prefixed views module", "views_import_no_other_apps_models", "payers/rule_views.py",
         "from patients.models import Patient\n", [1]),
        ("plan views read patients' models", "views_import_no_other_apps_models", "treatment_plans/views.py",
         "from patients.models import Patient\n", [1]),
        ("prefixed selectors own their app's PHI", "phi_managers_only_in_owning_data_modules",
         "patients/screen_selectors.py", "Patient.objects.all()\n", []),
        ("ORM in a domain module", "domain_is_pure", "payer_rules/domain/policy.py",
         "from django.db import models\n", [1]),
        ("a model in a nested domain module", "domain_is_pure", "treatment_plans/domain/rules/dates.py",
         "\nfrom patients.models import Patient\n", [2]),
        ("core's pure problems are fine", "domain_is_pure", "treatment_plans/domain/plans.py",
         "from core.domain.problems import Problem\n", []),
        ("not a domain module", "domain_is_pure", "treatment_plans/services.py",
         "from django.db import transaction\n", []),
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
