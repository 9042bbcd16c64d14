"""Ids in a URL that no row can have: beyond the signed 64-bit range of our primary keys.

The `<int:...>` converter matches any run of digits, so `/patients/99999999999999999999/` reaches
the view, and the id then fails wherever it is written (the "denied" audit event included). These
rules pick such an id out of a route's arguments and describe the denied attempt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audit.domain.categories import Category

SIGNED_64_MIN = -(2**63)
SIGNED_64_MAX = 2**63 - 1
OUT_OF_RANGE_REASON = "reason=id_out_of_range"

_CATEGORY_BY_OBJECT = {
    "patient": Category.DEMOGRAPHICS,
    "coverage": Category.COVERAGE,
    "diagnosis": Category.DIAGNOSIS,
    "consent": Category.CONSENT,
    "member": Category.CARE_TEAM,
    "note": Category.CLINICAL_NOTE,
    "plan": Category.TREATMENT_PLAN,
    "appointment": Category.APPOINTMENT,
    "group_session": Category.APPOINTMENT,
    "authorization": Category.BILLING,
    "alert": Category.BILLING,
    "charge": Category.BILLING,
    "charge_set": Category.BILLING,
}
_ACTION_BY_METHOD = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "DELETE": "delete"}


@dataclass(frozen=True, slots=True)
class OutOfRangeId:
    """The first route argument that is out of range, and how the denied attempt is recorded."""

    object_type: str
    object_id: str
    category: Category
    action: str
    patient_id: int | None  # the route's patient, when that id itself is in range


def _in_range(value: object) -> bool:
    return not isinstance(value, int) or SIGNED_64_MIN <= value <= SIGNED_64_MAX


def object_type_of(argument: str) -> str:
    """`patient_id` → `patient`, `payer_pk` → `payer`."""
    for suffix in ("_id", "_pk"):
        if argument.endswith(suffix):
            return argument.removesuffix(suffix)
    return argument


def out_of_range_id(route_kwargs: Mapping[str, object], *, method: str) -> OutOfRangeId | None:
    """The first integer argument outside the signed 64-bit range, or None if all fit."""
    for argument, value in route_kwargs.items():
        if not _in_range(value):
            patient_id = route_kwargs.get("patient_id")
            object_type = object_type_of(argument)
            return OutOfRangeId(
                object_type=object_type,
                object_id=str(value),
                category=_CATEGORY_BY_OBJECT.get(object_type, Category.PRACTICE),
                action=_ACTION_BY_METHOD.get(method.upper(), "update"),
                patient_id=patient_id if isinstance(patient_id, int) and _in_range(patient_id) else None,
            )
    return None
