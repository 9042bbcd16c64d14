"""Findings name their field in words on the charge screen, never as an internal path."""

from __future__ import annotations

import pytest

from claims.domain.findings import field_label


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("lines[0].code", "line 1, code"),
        ("lines[2].pos", "line 3, place of service"),
        ("lines[0].auth_number", "line 1, authorization"),
        ("lines[1].diagnosis_pointers", "line 2, diagnosis pointers"),
        ("rendering_provider.npi", "rendering provider, NPI"),
        ("coverage.member_id", "coverage, member ID"),
        ("diagnoses[0]", "diagnosis 1"),
        ("sessions[0].segment_minutes", "session 1, segment minutes"),
        ("supervising_provider", "supervising provider"),
    ],
)
def test_field_label(field, words):
    assert field_label(field) == words
