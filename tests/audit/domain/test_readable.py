"""The audit log in words: codes and key=value details as a person reads them."""

from __future__ import annotations

import pytest

from audit.domain.readable import detail_text, object_text, sentence


@pytest.mark.parametrize(
    ("detail", "text"),
    [
        ("results=3;total=10;purpose=cosign_queue", "results: 3 · total: 10 · purpose: co-sign queue"),
        ("from=2026-03-01;to=2026-03-09", "from: 2026-03-01 · to: 2026-03-09"),
        ("reason=", "reason: —"),
        ("captured;note=78;self_pay=False", "captured · note: 78 · self pay: False"),
        ("reviewed;ready->reviewed", "reviewed;ready->reviewed"),  # no key=value pair: as written
        ("sign;from=draft->final", "sign · from: draft → final"),
        ("fields: member_id", "fields: member_id"),  # free text stays as written
        ("", ""),
    ],
)
def test_details_read_as_words(detail, text):
    assert detail_text(detail) == text


@pytest.mark.parametrize(
    ("object_type", "object_id", "text"),
    [("session_note", "47", "Session note 47"), ("charge_set", "", "Charge set"), ("", "", "")],
)
def test_objects_read_as_words(object_type, object_id, text):
    assert object_text(object_type, object_id) == text


def test_categories_read_as_a_sentence():
    assert sentence("clinical_note") == "Clinical note"
    assert sentence("audit_log") == "Audit log"
