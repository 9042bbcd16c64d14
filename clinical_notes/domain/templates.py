"""Note templates as data: what a session note must contain, per service type.

The requirements live in `clinical_notes/data/note_templates.json` (required and optional
fields, intervention pick lists, minimum minutes, risk assessment, patient presence, the
measurement instruments and their valid ranges, the quality thresholds). This module parses
that file into frozen dataclasses once and answers questions about it. It does no other I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from core.domain.problems import Severity
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType

DATA_PACKAGE = "clinical_notes.data"
DATA_FILE = "note_templates.json"


class FieldKind(StrEnum):
    TEXT = "text"
    PARTICIPANTS = "participants"  # {"patient_present": bool, "others": str}
    INTERVENTIONS = "interventions"  # list of pick-list codes
    CHOICE = "choice"  # one value of the field's option list
    CHOICES = "choices"  # a list of values of the field's option list (each once)
    MINUTES = "minutes"  # a whole number of minutes


class PatientPresence(StrEnum):
    PRESENT = "present"  # the identified patient must be present
    ABSENT = "absent"  # the patient must not be present (family psychotherapy without patient)
    ANY = "any"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str
    kind: FieldKind
    narrative: bool
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for CHOICE and CHOICES

    def option_label(self, value: str) -> str:
        return dict(self.options).get(value, value)


@dataclass(frozen=True, slots=True)
class Intervention:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    label: str
    min_score: int
    max_score: int

    def accepts(self, score: int) -> bool:
        return self.min_score <= score <= self.max_score


@dataclass(frozen=True, slots=True)
class QualityRules:
    min_response_words: int
    clone_similarity_threshold: float
    clone_severity: Severity
    boilerplate_phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoteTemplate:
    service_type: ServiceType
    label: str
    required_fields: tuple[str, ...]
    optional_fields: tuple[str, ...]
    interventions: tuple[Intervention, ...]
    timed: bool
    min_minutes: int
    risk_assessment_required: bool
    patient_presence: PatientPresence
    diagnosis_required: bool = True
    # Below `min_minutes` the session is still billable as this service (e.g. crisis
    # psychotherapy under 30 minutes bills as psychotherapy): a warning, not an error.
    short_time_bills_as: ServiceType | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required_fields + self.optional_fields

    @property
    def intervention_codes(self) -> frozenset[str]:
        return frozenset(i.code for i in self.interventions)

    def requires(self, field_key: str) -> bool:
        return field_key in self.required_fields


@dataclass(frozen=True, slots=True)
class EmLevel:
    """What supports an E/M level: the medical decision making it needs, or the total minutes
    on the date (the psychotherapy minutes not counted)."""

    code: str
    mdm: str
    min_minutes: int


@dataclass(frozen=True, slots=True)
class TemplateCatalog:
    fields: Mapping[str, FieldSpec]
    templates: Mapping[ServiceType, NoteTemplate]
    instruments: Mapping[str, Instrument]
    quality: QualityRules
    em_levels: Mapping[str, EmLevel] = field(default_factory=lambda: MappingProxyType({}))

    def narrative_fields(self) -> tuple[str, ...]:
        return tuple(key for key, spec in self.fields.items() if spec.narrative)


class TemplateDataError(ValueError):
    """The requirements file is malformed (caught by the tests, never at a user's desk)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TemplateDataError(message)


def _as_mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise TemplateDataError(f"{where} must be an object")
    return value


def _as_str_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TemplateDataError(f"{where} must be a list of strings")
    return tuple(str(v) for v in value)


def _as_int(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TemplateDataError(f"{where} must be an integer")
    return value


def _parse_option_lists(raw: Mapping[str, object]) -> dict[str, tuple[tuple[str, str], ...]]:
    lists: dict[str, tuple[tuple[str, str], ...]] = {}
    for name, value in raw.items():
        if not isinstance(value, list):
            raise TemplateDataError(f"option_lists.{name} must be a list")
        pairs = [_as_str_list(item, f"option_lists.{name}[]") for item in value]
        _require(all(len(p) == 2 for p in pairs), f"option_lists.{name}: each item is [value, label]")
        values = [p[0] for p in pairs]
        _require(bool(values) and len(values) == len(set(values)), f"option_lists.{name}: empty or repeats")
        lists[name] = tuple((p[0], p[1]) for p in pairs)
    return lists


def _parse_fields(
    raw: Mapping[str, object], option_lists: Mapping[str, tuple[tuple[str, str], ...]]
) -> dict[str, FieldSpec]:
    fields: dict[str, FieldSpec] = {}
    for key, value in raw.items():
        spec = _as_mapping(value, f"fields.{key}")
        kind = spec.get("kind")
        _require(kind in {k.value for k in FieldKind}, f"fields.{key}.kind is unknown: {kind!r}")
        field_kind = FieldKind(str(kind))
        options: tuple[tuple[str, str], ...] = ()
        if field_kind in (FieldKind.CHOICE, FieldKind.CHOICES):
            list_name = spec.get("options")
            _require(
                isinstance(list_name, str) and list_name in option_lists,
                f"fields.{key}.options must name an option list",
            )
            options = option_lists[str(list_name)]
        fields[key] = FieldSpec(
            key=key,
            label=str(spec.get("label", key)),
            kind=field_kind,
            narrative=bool(spec.get("narrative", False)),
            help=str(spec.get("help", "")),
            options=options,
        )
    return fields


def _parse_em_levels(raw: Mapping[str, object], fields: Mapping[str, FieldSpec]) -> dict[str, EmLevel]:
    levels: dict[str, EmLevel] = {}
    for code, value in raw.items():
        if code == "about":
            continue
        spec = _as_mapping(value, f"em_levels.{code}")
        minutes = _as_int(spec.get("min_minutes"), f"em_levels.{code}.min_minutes")
        _require(minutes > 0, f"em_levels.{code}.min_minutes must be positive")
        levels[code] = EmLevel(code=code, mdm=str(spec.get("mdm", "")), min_minutes=minutes)
    em_field = fields.get("em_code")
    if em_field is not None:
        offered = {value for value, _label in em_field.options}
        _require(offered == set(levels), "em_levels must describe exactly the codes the em_code field offers")
    return levels


def _parse_instruments(raw: Mapping[str, object]) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for code, value in raw.items():
        spec = _as_mapping(value, f"instruments.{code}")
        low = _as_int(spec.get("min"), f"instruments.{code}.min")
        high = _as_int(spec.get("max"), f"instruments.{code}.max")
        _require(low < high, f"instruments.{code}: min must be below max")
        instruments[code] = Instrument(
            code=code, label=str(spec.get("label", code)), min_score=low, max_score=high
        )
    return instruments


def _parse_quality(raw: Mapping[str, object]) -> QualityRules:
    threshold = raw.get("clone_similarity_threshold")
    if not isinstance(threshold, int | float) or not 0 < float(threshold) <= 1:
        raise TemplateDataError("quality.clone_similarity_threshold must be in (0, 1]")
    severity = raw.get("clone_severity", "warning")
    _require(severity in {s.value for s in Severity}, "quality.clone_severity must be error or warning")
    return QualityRules(
        min_response_words=_as_int(raw.get("min_response_words"), "quality.min_response_words"),
        clone_similarity_threshold=float(threshold),
        clone_severity=Severity(str(severity)),
        boilerplate_phrases=tuple(
            p.lower() for p in _as_str_list(raw.get("boilerplate_phrases", []), "quality.boilerplate_phrases")
        ),
    )


def _parse_interventions(raw: Mapping[str, object]) -> dict[str, tuple[Intervention, ...]]:
    lists: dict[str, tuple[Intervention, ...]] = {}
    for name, value in raw.items():
        if not isinstance(value, list):
            raise TemplateDataError(f"intervention_lists.{name} must be a list")
        items = []
        for item in value:
            pair = _as_str_list(item, f"intervention_lists.{name}[]")
            _require(len(pair) == 2, f"intervention_lists.{name}: each item is [code, label]")
            items.append(Intervention(code=pair[0], label=pair[1]))
        codes = [i.code for i in items]
        _require(len(codes) == len(set(codes)), f"intervention_lists.{name} repeats a code")
        lists[name] = tuple(items)
    return lists


def _parse_template(
    service_type: ServiceType,
    raw: Mapping[str, object],
    fields: Mapping[str, FieldSpec],
    lists: Mapping[str, tuple[Intervention, ...]],
) -> NoteTemplate:
    where = f"service_types.{service_type.value}"
    required = _as_str_list(raw.get("required"), f"{where}.required")
    optional = _as_str_list(raw.get("optional", []), f"{where}.optional")
    for key in required + optional:
        _require(key in fields, f"{where} names an unknown field {key!r}")
    _require(not set(required) & set(optional), f"{where}: a field is both required and optional")
    list_name = raw.get("interventions")
    interventions: tuple[Intervention, ...] = ()
    if list_name is not None:
        _require(isinstance(list_name, str) and list_name in lists, f"{where}.interventions: unknown list")
        interventions = lists[str(list_name)]
    _require(
        "interventions" not in required + optional or bool(interventions),
        f"{where}: asks for interventions but has no pick list",
    )
    presence = raw.get("patient_presence", "any")
    _require(presence in {p.value for p in PatientPresence}, f"{where}.patient_presence is unknown")
    bills_as = raw.get("short_time_bills_as")
    _require(
        bills_as is None or bills_as in {s.value for s in ServiceType}, f"{where}.short_time_bills_as unknown"
    )
    risk_required = bool(raw.get("risk_assessment_required", False))
    _require(
        not risk_required or {"risk_factors", "safety_plan"} <= set(required),
        f"{where}: a required risk assessment needs risk_factors and safety_plan among the required fields",
    )
    min_minutes = _as_int(raw.get("min_minutes", 0), f"{where}.min_minutes")
    timed = bool(raw.get("timed", False))
    _require(timed or min_minutes == 0, f"{where}: an untimed service has no minimum minutes")
    return NoteTemplate(
        service_type=service_type,
        label=SERVICE_TYPE_LABELS[service_type],
        required_fields=required,
        optional_fields=optional,
        interventions=interventions,
        timed=timed,
        min_minutes=min_minutes,
        risk_assessment_required=risk_required,
        patient_presence=PatientPresence(str(presence)),
        diagnosis_required=bool(raw.get("diagnosis_required", True)),
        short_time_bills_as=ServiceType(str(bills_as)) if bills_as is not None else None,
    )


def parse_catalog(raw: Mapping[str, object]) -> TemplateCatalog:
    """Validate and freeze the requirements data. Raises TemplateDataError when malformed."""
    option_lists = _parse_option_lists(_as_mapping(raw.get("option_lists", {}), "option_lists"))
    fields = _parse_fields(_as_mapping(raw.get("fields"), "fields"), option_lists)
    lists = _parse_interventions(_as_mapping(raw.get("intervention_lists", {}), "intervention_lists"))
    raw_templates = _as_mapping(raw.get("service_types"), "service_types")
    templates: dict[ServiceType, NoteTemplate] = {}
    for key, value in raw_templates.items():
        _require(key in {s.value for s in ServiceType}, f"service_types: unknown service type {key!r}")
        service_type = ServiceType(key)
        templates[service_type] = _parse_template(
            service_type, _as_mapping(value, f"service_types.{key}"), fields, lists
        )
    missing = [s.value for s in ServiceType if s not in templates]
    _require(not missing, f"service_types: no template for {', '.join(missing)}")
    for template in templates.values():
        if template.short_time_bills_as is not None:
            fallback = templates[template.short_time_bills_as]
            _require(
                fallback.short_time_bills_as is None and fallback.min_minutes < template.min_minutes,
                f"{template.service_type}: the fallback service must have a lower minimum and no fallback",
            )
    return TemplateCatalog(
        fields=MappingProxyType(fields),
        templates=MappingProxyType(templates),
        instruments=MappingProxyType(_parse_instruments(_as_mapping(raw.get("instruments"), "instruments"))),
        quality=_parse_quality(_as_mapping(raw.get("quality"), "quality")),
        em_levels=MappingProxyType(
            _parse_em_levels(_as_mapping(raw.get("em_levels", {}), "em_levels"), fields)
        ),
    )


@cache
def catalog() -> TemplateCatalog:
    """The packaged requirements, parsed once per process."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_catalog(json.loads(text))


def note_template_for(service_type: ServiceType | str) -> NoteTemplate:
    """The template for a service type (raises ValueError for an unknown service type)."""
    return catalog().templates[ServiceType(service_type)]


def instrument_for(code: str) -> Instrument | None:
    return catalog().instruments.get(code)


def field_spec(key: str) -> FieldSpec | None:
    return catalog().fields.get(key)
