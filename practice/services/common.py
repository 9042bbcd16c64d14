"""Helpers every practice and payer service uses: rules → ValidationFailed, full_clean, changed fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from core.domain.problems import Problem, errors_only, field_errors
from core.errors import ValidationFailed

# --- helpers shared by the practice and payer services ----------------------------------------


def raise_if_problems(problems: Iterable[Problem]) -> None:
    """Raise ValidationFailed with field errors when any problem is an error."""
    errors = errors_only(list(problems))
    if errors:
        raise ValidationFailed(field_errors=field_errors(errors))


def model_full_clean(instance: models.Model) -> None:
    """`full_clean()`, with Django's ValidationError turned into our ValidationFailed."""
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        raise ValidationFailed(field_errors=fields) from error


def assign_changed(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the attributes whose value differs; return their names (for `update_fields`)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def given_values(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were passed (None means "leave unchanged")."""
    return {name: value for name, value in values.items() if value is not None}
