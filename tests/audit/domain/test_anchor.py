"""Signed checkpoints: a line round-trips; anything written without the key pins nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from audit.domain.anchor import authentic_pins, checkpoint_line
from audit.domain.chain import PinnedHash, chain_key

KEY = chain_key("k" * 40)
KEYS = {KEY.key_id: KEY.secret}
AT = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


def _line(**overrides) -> str:  # type: ignore[no-untyped-def]
    values = {"seq": 42, "head_hash": "a" * 64, "at": AT, "ok": True, "key": KEY, **overrides}
    return checkpoint_line(**values)


def _codes(lines: list[str], keys=KEYS):  # type: ignore[no-untyped-def]
    pins, problems = authentic_pins(lines, keys=keys)
    return pins, [(p.code, p.field) for p in problems]


def test_a_signed_line_pins_its_seq_and_hash():
    # when
    pins, problems = _codes([_line(), "", _line(seq=43, head_hash="b" * 64)])
    # then
    assert problems == []
    assert pins == [
        PinnedHash(seq=42, head_hash="a" * 64, where="anchor line 1"),
        PinnedHash(seq=43, head_hash="b" * 64, where="anchor line 3"),
    ]


def test_the_line_carries_the_key_id_never_the_key():
    data = json.loads(_line())
    assert data["key_id"] == KEY.key_id
    assert "k" * 40 not in _line()
    assert set(data) == {"seq", "head_hash", "at", "ok", "key_id", "mac"}


def test_a_failed_verification_pins_nothing():
    assert _codes([_line(ok=False)]) == ([], [])


@pytest.mark.parametrize(
    ("_case", "field", "value"),
    [
        ("seq", "seq", 41),
        ("hash", "head_hash", "c" * 64),
        ("time", "at", "2026-12-06T09:00:01+00:00"),
        ("outcome", "ok", False),
    ],
)
def test_an_edited_line_is_a_forgery(_case, field, value):
    # given
    data = json.loads(_line())
    data[field] = value
    # then
    assert _codes([json.dumps(data)]) == ([], [("audit_checkpoint_forged", "anchor line 1")])


def test_a_line_signed_with_another_key_is_a_forgery_under_the_same_id():
    # given: the attacker signs with a key of their own but names ours
    data = json.loads(_line(key=chain_key("attacker-" * 5)))
    data["key_id"] = KEY.key_id
    # then
    assert _codes([json.dumps(data)])[1] == [("audit_checkpoint_forged", "anchor line 1")]


def test_a_line_signed_with_a_key_not_configured_is_reported():
    assert _codes([_line(key=chain_key("x" * 40))])[1] == [("audit_checkpoint_key_unknown", "anchor line 1")]


@pytest.mark.parametrize(
    "raw", ["not json", "{}", '{"seq": "x", "head_hash": "", "at": "", "ok": true, "key_id": "", "mac": ""}']
)
def test_an_unreadable_line_is_reported(raw):
    assert _codes([raw])[1] == [("audit_checkpoint_unreadable", "anchor line 1")]
