"""The keyed chain (HMAC-SHA256) and its pins, over plain records: each edge of each rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from audit.domain.chain import (
    GENESIS_HASH,
    KEY_ROTATION_ACTION,
    KEYED_VERSION,
    LEGACY_VERSION,
    ChainKey,
    ChainRecord,
    PinnedHash,
    chain_key,
    compute_hash,
    rotation_detail,
    verify_chain,
)

KEY = chain_key("k" * 40)
NEW_KEY = chain_key("n" * 40)


def _draft(seq: int) -> ChainRecord:
    return ChainRecord(
        seq=seq,
        occurred_at=dt.datetime(2026, 12, 1, 9, 0, seq, tzinfo=dt.UTC),
        actor_id=7,
        actor_username="clinician1",
        practice_id=1,
        patient_id=500 + seq,
        action="view",
        category="demographics",
        object_type="patient",
        object_id=str(500 + seq),
        outcome="allowed",
        detail="",
        ip_address="192.0.2.10",
        request_path="/patients/",
        prev_hash="",
    )


def _extend(chain: list[ChainRecord], draft: ChainRecord, key: ChainKey | None) -> None:
    prev = chain[-1].hash if chain else GENESIS_HASH
    record = replace(draft, seq=len(chain) + 1, prev_hash=prev)
    if key is None:
        record = replace(record, chain_version=LEGACY_VERSION, key_id="")
        chain.append(replace(record, hash=compute_hash(record)))
    else:
        record = replace(record, chain_version=KEYED_VERSION, key_id=key.key_id)
        chain.append(replace(record, hash=compute_hash(record, secret=key.secret)))


def _rotation(new: ChainKey, old_key_id: str) -> ChainRecord:
    return replace(
        _draft(0),
        action=KEY_ROTATION_ACTION,
        detail=rotation_detail(new_key_id=new.key_id, old_key_id=old_key_id),
        patient_id=None,
    )


def _chain(plan: list[ChainKey | None]) -> list[ChainRecord]:
    chain: list[ChainRecord] = []
    for key in plan:
        _extend(chain, _draft(len(chain) + 1), key)
    return chain


def _codes(chain: list[ChainRecord], *, keys=None, pinned=(), head=None):  # type: ignore[no-untyped-def]
    head = head or chain[-1]
    _, problems = verify_chain(
        iter(chain),
        head_seq=head.seq,
        head_hash=head.hash,
        keys={KEY.key_id: KEY.secret} if keys is None else keys,
        pinned=pinned,
    )
    return [(p.code, p.field) for p in problems]


def test_a_keyed_chain_verifies_with_its_key():
    assert _codes(_chain([KEY] * 4)) == []


def test_the_key_id_is_a_fingerprint_not_the_key():
    # then
    assert len(KEY.key_id) == 16
    assert KEY.key_id not in ("k" * 40)
    assert chain_key("k" * 40) == KEY
    assert chain_key("k" * 39 + "j").key_id != KEY.key_id


def test_a_row_resealed_without_the_key_is_caught():
    # given: an attacker edits row 2 and recomputes every later hash, guessing the key
    chain = _chain([KEY] * 4)
    guess = ChainKey(key_id=KEY.key_id, secret=b"not-the-key-" * 4)
    forged: list[ChainRecord] = chain[:1]
    for record in chain[1:]:
        edited = replace(record, patient_id=999) if record.seq == 2 else record
        _extend(forged, edited, guess)
    # then: every re-sealed row fails its HMAC (the links, recomputed, are consistent)
    assert _codes(forged, head=forged[-1]) == [
        ("audit_row_altered", "seq 2"),
        ("audit_row_altered", "seq 3"),
        ("audit_row_altered", "seq 4"),
    ]


def test_a_keyed_row_hashed_as_plain_sha256_is_caught():
    chain = _chain([KEY] * 3)
    unkeyed = replace(chain[2], hash=compute_hash(replace(chain[2], chain_version=LEGACY_VERSION)))
    assert _codes([*chain[:2], unkeyed]) == [("audit_row_altered", "seq 3")]


def test_an_unkeyed_row_after_keyed_rows_is_a_downgrade():
    # given: rows 3-4 rewritten as plain SHA-256 (what someone without the key can compute)
    chain = _chain([KEY, KEY])
    _extend(chain, _draft(3), None)
    _extend(chain, _draft(4), None)
    # then
    assert _codes(chain) == [("audit_downgraded", "seq 3"), ("audit_downgraded", "seq 4")]


def test_unkeyed_rows_followed_by_a_rotation_event_verify():
    # given: a chain from before keying, then the rotation event, then keyed rows
    chain = _chain([None, None])
    _extend(chain, _rotation(KEY, ""), KEY)
    _extend(chain, _draft(4), KEY)
    # then
    assert _codes(chain) == []


def test_keyed_rows_after_unkeyed_ones_without_a_rotation_event_are_caught():
    chain = _chain([None, None, KEY])
    assert _codes(chain) == [("audit_key_switch_unrecorded", "seq 3")]


@pytest.mark.parametrize(
    ("_case", "rotation_change", "expected"),
    [
        ("announced", {}, []),
        ("not a rotation action", {"action": "view"}, [("audit_key_switch_unrecorded", "seq 3")]),
        (
            "names another key",
            {"detail": rotation_detail(new_key_id="0" * 16, old_key_id=KEY.key_id)},
            [("audit_key_switch_unrecorded", "seq 3")],
        ),
        (
            "names the wrong predecessor",
            {"detail": rotation_detail(new_key_id=NEW_KEY.key_id, old_key_id="")},
            [("audit_key_switch_unrecorded", "seq 3")],
        ),
    ],
)
def test_a_key_changes_only_at_its_rotation_event(_case, rotation_change, expected):
    # given: two rows with KEY, then the rotation to NEW_KEY, then a row with NEW_KEY
    chain = _chain([KEY, KEY])
    _extend(chain, replace(_rotation(NEW_KEY, KEY.key_id), **rotation_change), NEW_KEY)
    _extend(chain, _draft(4), NEW_KEY)
    keys = {KEY.key_id: KEY.secret, NEW_KEY.key_id: NEW_KEY.secret}
    # then
    assert _codes(chain, keys=keys) == expected


def test_rows_sealed_with_a_key_no_longer_configured_cannot_be_checked():
    # given: rotated to NEW_KEY, but the old key was dropped from the configuration
    chain = _chain([KEY])
    _extend(chain, _rotation(NEW_KEY, KEY.key_id), NEW_KEY)
    # then
    assert _codes(chain, keys={NEW_KEY.key_id: NEW_KEY.secret}) == [("audit_key_unknown", "seq 1")]


def test_an_unknown_chain_version_is_reported():
    chain = _chain([KEY, KEY])
    chain[1] = replace(chain[1], chain_version=3)
    assert _codes(chain) == [("audit_unknown_version", "seq 2")]


def _pin(record: ChainRecord, *, hash_: str | None = None, seq: int | None = None) -> PinnedHash:
    return PinnedHash(
        seq=record.seq if seq is None else seq, head_hash=hash_ or record.hash, where="anchor line 1"
    )


def test_a_chain_matching_its_pins_verifies():
    chain = _chain([KEY] * 4)
    assert _codes(chain, pinned=[_pin(chain[1]), _pin(chain[3])]) == []


def test_a_pin_on_the_empty_chain_is_the_genesis_hash():
    chain = _chain([KEY] * 2)
    assert _codes(chain, pinned=[PinnedHash(seq=0, head_hash=GENESIS_HASH, where="anchor line 1")]) == []


def test_a_chain_recomputed_from_the_start_no_longer_matches_its_pin():
    # given: the pin saw row 3 of the real chain; the attacker rebuilt every row as plain SHA-256
    real = _chain([KEY] * 4)
    rebuilt = _chain([None] * 4)  # same contents; only the seal recipe differs
    # then
    assert _codes(rebuilt, pinned=[_pin(real[2])]) == [("audit_checkpoint_mismatch", "anchor line 1")]


@pytest.mark.parametrize(
    ("pinned_seq", "expected"), [(4, []), (5, [("audit_checkpoint_missing_event", "anchor line 1")])]
)
def test_a_pin_beyond_the_end_of_the_chain_means_events_were_removed(pinned_seq, expected):
    chain = _chain([KEY] * 4)
    assert _codes(chain, pinned=[_pin(chain[3], seq=pinned_seq)]) == expected
