"""The keyed chain on PostgreSQL: rotation events, older unkeyed chains, the anchor file, and an
attacker without the key who rewrites a row and recomputes the whole chain."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields, replace
from pathlib import Path

import pytest
from django.db import connection

from audit.chain_services import audit_chain_records, audit_chain_verify
from audit.domain.chain import GENESIS_HASH, LEGACY_VERSION, ChainRecord, chain_key, compute_hash
from audit.keys import audit_chain_current_key
from audit.models import AuditChainHead, AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OLD_SECRET = "an-earlier-audit-chain-key-" + "o" * 20


def _codes(verification) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(f["code"], f["field"]) for f in verification.findings]


def _anchor(settings) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(line) for line in Path(settings.AUDIT_ANCHOR_PATH).read_text().splitlines()]


def _rewrite_all(rows: list[tuple[int, str, str, int, str]]) -> None:
    """As an attacker with database rights: triggers off, rows rewritten, head moved, triggers on."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER ALL")
        cursor.execute("UPDATE audit_auditevent SET hash = 'x' || seq::text")  # free the unique hashes
        for seq, prev_hash, hash_, version, key_id in rows:
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, chain_version = %s, key_id = %s,"
                " patient_id = CASE WHEN seq = 2 THEN 999 ELSE patient_id END WHERE seq = %s",
                [prev_hash, hash_, version, key_id, seq],
            )
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_hash = %s, key_id = %s", [rows[-1][2], rows[-1][4]]
        )
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")
        cursor.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER ALL")


def _recomputed(*, keyed_with: bytes | None) -> list[tuple[int, str, str, int, str]]:
    """Every row re-sealed after editing row 2: plain SHA-256, or HMAC under a guessed key."""
    rows = []
    prev = GENESIS_HASH
    for record in audit_chain_records():
        edited = replace(record, prev_hash=prev, patient_id=999 if record.seq == 2 else record.patient_id)
        if keyed_with is None:
            edited = replace(edited, chain_version=LEGACY_VERSION, key_id="")
            digest = compute_hash(edited)
        else:
            digest = compute_hash(edited, secret=keyed_with)
        rows.append((edited.seq, prev, digest, edited.chain_version, edited.key_id))
        prev = digest
    return rows


@pytest.fixture
def four_events(practice, record_event) -> list[AuditEvent]:
    return [record_event(practice_id=practice.pk, patient_id=500 + n, object_id=500 + n) for n in range(1, 5)]


def test_new_events_are_sealed_with_the_key_from_the_environment(four_events):
    # then
    key = audit_chain_current_key()
    event = AuditEvent.objects.get(seq=2)
    record = next(r for r in audit_chain_records() if r.seq == 2)
    assert (event.chain_version, event.key_id) == (2, key.key_id)
    assert event.hash == compute_hash(record, secret=key.secret)
    assert event.hash != compute_hash(record, secret=b"another key")
    assert AuditChainHead.objects.get().key_id == key.key_id


def test_each_verification_appends_a_signed_checkpoint_outside_the_database(four_events, settings):
    # when
    first = audit_chain_verify()
    second = audit_chain_verify()
    # then
    head = AuditChainHead.objects.get()
    lines = _anchor(settings)
    assert (first.ok, second.ok) == (True, True)
    assert [(line["seq"], line["head_hash"], line["ok"]) for line in lines] == [
        (4, head.last_hash, True),
        (4, head.last_hash, True),
    ]
    assert {line["key_id"] for line in lines} == {audit_chain_current_key().key_id}


@pytest.mark.parametrize(
    ("_case", "keyed_with", "expected"),
    [
        # Re-sealed as plain SHA-256 from the first row: only the checkpoint can tell.
        ("plain sha-256", None, [("audit_checkpoint_mismatch", "anchor line 1")]),
        # Re-sealed with a guessed key: every row from the edit on fails its HMAC, and the checkpoint.
        (
            "guessed key",
            b"a-guessed-key",
            [
                ("audit_row_altered", "seq 1"),
                ("audit_row_altered", "seq 2"),
                ("audit_row_altered", "seq 3"),
                ("audit_row_altered", "seq 4"),
                ("audit_checkpoint_mismatch", "anchor line 1"),
            ],
        ),
    ],
)
def test_an_attacker_without_the_key_who_recomputes_the_whole_chain_is_reported(
    four_events, _case, keyed_with, expected
):
    # given: a clean verification wrote its checkpoint; then row 2 is edited with the triggers
    # disabled and every hash and the head are recomputed
    assert audit_chain_verify().ok is True
    _rewrite_all(_recomputed(keyed_with=keyed_with))
    assert AuditEvent.objects.get(seq=2).patient_id == 999
    # when
    verification = audit_chain_verify()
    # then
    assert verification.ok is False
    assert _codes(verification) == expected


def test_a_rewrite_to_plain_sha256_after_keyed_rows_is_a_downgrade_even_without_checkpoints(
    four_events, practice, record_event
):
    # given: the rows from 3 on re-sealed as plain SHA-256 (no checkpoint was ever written)
    rows = _recomputed(keyed_with=None)
    real = {r.seq: r for r in audit_chain_records()}
    kept = [(seq, real[seq].prev_hash, real[seq].hash, 2, real[seq].key_id) for seq in (1, 2)]
    prev = real[2].hash
    rest = []
    for record in [r for r in audit_chain_records() if r.seq >= 3]:
        unkeyed = replace(record, prev_hash=prev, chain_version=LEGACY_VERSION, key_id="")
        digest = compute_hash(unkeyed)
        rest.append((record.seq, prev, digest, LEGACY_VERSION, ""))
        prev = digest
    assert rows  # the helper's own recomputation is not needed here
    _rewrite_all([*kept, *rest])
    # when
    verification = audit_chain_verify()
    # then: row 2's patient changed too (the helper edits it), so it fails its HMAC
    assert _codes(verification) == [
        ("audit_row_altered", "seq 2"),
        ("audit_downgraded", "seq 3"),
        ("audit_downgraded", "seq 4"),
    ]


def test_a_forged_checkpoint_line_is_reported(four_events, settings):
    # given
    Path(settings.AUDIT_ANCHOR_PATH).write_text(
        json.dumps(
            {
                "seq": 4,
                "head_hash": "f" * 64,
                "at": "2026-12-06T09:00:00+00:00",
                "ok": True,
                "key_id": audit_chain_current_key().key_id,
                "mac": "0" * 64,
            }
        )
        + "\n"
    )
    # when
    verification = audit_chain_verify()
    # then
    assert _codes(verification) == [("audit_checkpoint_forged", "anchor line 1")]


def test_an_anchor_that_cannot_be_written_fails_the_verification(four_events, settings, tmp_path):
    # given: the anchor path is a directory
    settings.AUDIT_ANCHOR_PATH = str(tmp_path)
    # when
    verification = audit_chain_verify()
    # then
    assert verification.ok is False
    assert _codes(verification) == [
        ("audit_anchor_unreadable", "anchor"),
        ("audit_anchor_unwritable", "anchor"),
    ]


def test_an_anchor_in_a_directory_that_cannot_be_created_fails_the_verification(
    four_events, settings, tmp_path
):
    # given: the anchor's parent is a file
    (tmp_path / "blocker").write_text("")
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "blocker" / "anchor.jsonl")
    # when
    verification = audit_chain_verify()
    # then
    assert _codes(verification) == [
        ("audit_anchor_unreadable", "anchor"),
        ("audit_anchor_unwritable", "anchor"),
    ]


def _legacy_chain(count: int) -> None:
    """Events as written before the chain was keyed: plain SHA-256, version 1, no key id."""
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        record = ChainRecord(
            seq=seq,
            occurred_at=dt.datetime(2026, 11, 1, 9, 0, seq, tzinfo=dt.UTC),
            actor_id=None,
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
            prev_hash=prev,
        )
        prev = compute_hash(record)
        AuditEvent.objects.create(
            **{f.name: getattr(record, f.name) for f in fields(record)} | {"hash": prev}
        )
    AuditChainHead.objects.create(singleton=True, last_seq=count, last_hash=prev, key_id="")


def test_an_existing_unkeyed_chain_still_verifies_and_the_first_keyed_event_records_the_switch(
    db, practice, record_event
):
    # given
    _legacy_chain(3)
    assert audit_chain_verify().ok is True
    # when
    record_event(practice_id=practice.pk)
    # then
    key = audit_chain_current_key()
    rotation, event = AuditEvent.objects.filter(seq__in=[4, 5]).order_by("seq")
    assert (rotation.action, rotation.object_id, rotation.detail) == (
        "rotate_key",
        key.key_id,
        f"chain key {key.key_id} follows unkeyed SHA-256",
    )
    assert (event.chain_version, event.key_id) == (2, key.key_id)
    verification = audit_chain_verify()
    assert (verification.ok, verification.events_checked, verification.findings) == (True, 5, [])


def test_a_key_rotation_is_recorded_in_the_chain_and_older_events_verify_with_the_previous_key(
    db, practice, record_event, settings
):
    # given: events sealed with an earlier key
    settings.AUDIT_CHAIN_KEY = OLD_SECRET
    record_event(practice_id=practice.pk)
    record_event(practice_id=practice.pk)
    old = chain_key(OLD_SECRET)
    assert audit_chain_verify().ok is True
    # when: the key is rotated (the old one kept for verification)
    settings.AUDIT_CHAIN_KEY = "the-new-audit-chain-key-" + "n" * 20
    settings.AUDIT_CHAIN_PREVIOUS_KEYS = [OLD_SECRET]
    record_event(practice_id=practice.pk)
    # then
    new = audit_chain_current_key()
    rotation = AuditEvent.objects.get(seq=3)
    assert (rotation.action, rotation.key_id, rotation.detail) == (
        "rotate_key",
        new.key_id,
        f"chain key {new.key_id} follows {old.key_id}",
    )
    assert OLD_SECRET not in rotation.detail
    assert AuditEvent.objects.get(seq=4).key_id == new.key_id
    verification = audit_chain_verify()
    assert (verification.ok, verification.events_checked) == (True, 4)


def test_without_the_previous_key_older_events_cannot_be_checked(db, practice, record_event, settings):
    # given
    settings.AUDIT_CHAIN_KEY = OLD_SECRET
    record_event(practice_id=practice.pk)
    settings.AUDIT_CHAIN_KEY = "the-new-audit-chain-key-" + "n" * 20
    record_event(practice_id=practice.pk)
    # when: the previous key is not configured
    verification = audit_chain_verify()
    # then
    assert _codes(verification) == [("audit_key_unknown", "seq 1")]
