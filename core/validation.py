"""Turning rule findings and model validation into the one ValidationFailed every service raises."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from core.domain.problems import Problem, errors_only, field_errors, problem_as_dict
from core.errors import ValidationFailed

DEFAULT_MESSAGE = "The data is not valid."


def raise_for_problems(
    problems: Iterable[Problem],
    *,
    message: str = DEFAULT_MESSAGE,
    single_error_message: bool = False,
    include_problems: bool = False,
) -> None:
    """Raise ValidationFailed (field errors, nothing written) when any problem is an error.

    `single_error_message`: with exactly one error, its own words are the message.
    `include_problems`: the errors also go in `extra["problems"]` with codes and fix hints.
    """
    errors = errors_only(list(problems))
    if not errors:
        return
    text = errors[0].message if single_error_message and len(errors) == 1 else message
    failed = ValidationFailed(text, field_errors=field_errors(errors))
    if include_problems:
        failed.extra["problems"] = [problem_as_dict(p) for p in errors]
    raise failed


def full_clean_or_raise(
    instance: models.Model, *, exclude: Sequence[str] | None = None, check_constraints: bool = True
) -> None:
    """`full_clean()`, with Django's ValidationError turned into our ValidationFailed."""
    try:
        instance.full_clean(
            exclude=list(exclude) if exclude else None,
            validate_unique=check_constraints,
            validate_constraints=check_constraints,
        )
    except DjangoValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        raise ValidationFailed(field_errors=fields) from error
