"""Helpers every practice and payer service uses: rules → ValidationFailed, full_clean, changed fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from core.domain.problems import Problem
from core.validation import full_clean_or_raise, raise_for_problems

# --- helpers shared by the practice and payer services ----------------------------------------


def raise_if_problems(problems: Iterable[Problem]) -> None:
    """Raise ValidationFailed with field errors when any problem is an error."""
    raise_for_problems(problems)


model_full_clean = full_clean_or_raise


def assign_changed(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the attributes whose value differs; return their names (for `update_fields`)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def given_values(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were passed (None means "leave unchanged")."""
    return {name: value for name, value in values.items() if value is not None}
