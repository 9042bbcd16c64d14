"""The editor's service list: permitted services first, nothing hidden."""

from __future__ import annotations

import pytest

from clinical_notes.domain.service_choices import PERMITTED_GROUP, service_choices_for

CHOICES = [("a", "A"), ("b", "B"), ("c", "C")]


@pytest.mark.parametrize(
    ("permitted", "payer", "expected"),
    [
        ({"b"}, "Keystone", [(PERMITTED_GROUP, [("b", "B")]), ("Not paid for your credential by Keystone", [("a", "A"), ("c", "C")])]),
        ({"a", "c"}, "", [(PERMITTED_GROUP, [("a", "A"), ("c", "C")]), ("Not paid for your credential", [("b", "B")])]),
        ({"a", "b", "c"}, "Keystone", CHOICES),
        (set(), "Keystone", CHOICES),
    ],
)  # fmt: skip
def test_permitted_first(permitted, payer, expected):
    assert service_choices_for(CHOICES, permitted=permitted, payer_name=payer) == expected
