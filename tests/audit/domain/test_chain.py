"""verify_chain over plain records (no database): each kind of tampering, and a clean chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from audit.domain.chain import GENESIS_HASH, ChainRecord, compute_hash, verify_chain


def _seal(record: ChainRecord) -> ChainRecord:
    return replace(record, hash=compute_hash(record))


def _chain(length: int) -> list[ChainRecord]:
    records: list[ChainRecord] = []
    prev = GENESIS_HASH
    for seq in range(1, length + 1):
        record = _seal(
            ChainRecord(
                seq=seq,
                occurred_at=dt.datetime(2026, 11, 27, 9, 0, seq, 123456, tzinfo=dt.UTC),
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
                prev_hash=prev,
            )
        )
        records.append(record)
        prev = record.hash
    return records


def _codes(problems) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.code, p.field) for p in problems]


def _verify(records: list[ChainRecord], *, head: ChainRecord | None):  # type: ignore[no-untyped-def]
    return verify_chain(
        iter(records),
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else GENESIS_HASH,
    )


def test_clean_chain_has_no_problems():
    # given
    chain = _chain(5)
    # when
    checked, problems = _verify(chain, head=chain[-1])
    # then
    assert checked == 5
    assert problems == []


def test_empty_chain_with_empty_head_is_clean():
    assert verify_chain(iter([]), head_seq=0, head_hash=GENESIS_HASH) == (0, [])


@pytest.mark.parametrize(
    ("_case", "change"),
    [
        ("detail", {"detail": "exported 1 row"}),
        ("patient", {"patient_id": 999}),
        ("actor", {"actor_username": "someone-else"}),
        ("outcome", {"outcome": "denied"}),
        ("time", {"occurred_at": dt.datetime(2026, 11, 27, 9, 0, 3, 123457, tzinfo=dt.UTC)}),
        ("ip", {"ip_address": None}),
    ],
)
def test_an_edited_row_is_caught_at_that_row(_case, change):
    # given
    chain = _chain(5)
    chain[2] = replace(chain[2], **change)
    # when
    checked, problems = _verify(chain, head=chain[-1])
    # then
    assert checked == 5
    assert _codes(problems) == [("audit_row_altered", "seq 3")]


def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link():
    # given: the attacker re-seals the edited row, but the next row still points at the old hash
    chain = _chain(5)
    chain[2] = _seal(replace(chain[2], detail="nothing to see"))
    # when
    _, problems = _verify(chain, head=chain[-1])
    # then
    assert _codes(problems) == [("audit_link_broken", "seq 4")]


def test_a_deleted_middle_row_is_caught_at_the_next_row():
    # given
    chain = _chain(5)
    head = chain[-1]
    del chain[2]
    # when
    checked, problems = _verify(chain, head=head)
    # then
    assert checked == 4
    assert _codes(problems) == [("audit_seq_gap", "seq 4"), ("audit_link_broken", "seq 4")]


def test_an_inserted_row_is_caught_where_it_joins_the_chain():
    # given: a well-formed forged row linked after row 2; the rest renumbered and kept as they were
    chain = _chain(5)
    forged = _seal(replace(chain[2], patient_id=777, object_id="777", prev_hash=chain[1].hash))
    renumbered = [replace(r, seq=r.seq + 1) for r in chain[2:]]
    tampered = [*chain[:2], forged, *renumbered]
    # when
    checked, problems = _verify(tampered, head=chain[-1])
    # then
    assert checked == 6
    assert _codes(problems) == [
        ("audit_link_broken", "seq 4"),
        ("audit_row_altered", "seq 4"),
        ("audit_row_altered", "seq 5"),
        ("audit_row_altered", "seq 6"),
        ("audit_tail_mismatch", "head"),
    ]


def test_an_inserted_row_without_renumbering_is_caught_as_a_gap():
    # given: the forged row takes seq 3; the real row 3 follows it
    chain = _chain(5)
    forged = _seal(replace(chain[2], patient_id=777, prev_hash=chain[1].hash))
    tampered = [*chain[:2], forged, *chain[2:]]
    # when
    _, problems = _verify(tampered, head=chain[-1])
    # then
    assert _codes(problems) == [("audit_seq_gap", "seq 3"), ("audit_link_broken", "seq 3")]


def test_a_row_appended_past_the_head_is_caught_at_the_tail():
    # given
    chain = _chain(5)
    head = chain[-1]
    forged = _seal(replace(chain[4], seq=6, patient_id=777, prev_hash=chain[4].hash))
    # when
    _, problems = _verify([*chain, forged], head=head)
    # then
    assert _codes(problems) == [("audit_tail_mismatch", "head")]


def test_swapped_rows_are_caught():
    # given: rows 2 and 3 trade places (their seq values swapped so they sort the other way)
    chain = _chain(5)
    second, third = chain[1], chain[2]
    tampered = [chain[0], replace(third, seq=2), replace(second, seq=3), *chain[3:]]
    # when
    _, problems = _verify(tampered, head=chain[-1])
    # then
    assert _codes(problems) == [
        ("audit_link_broken", "seq 2"),
        ("audit_row_altered", "seq 2"),
        ("audit_link_broken", "seq 3"),
        ("audit_row_altered", "seq 3"),
        ("audit_link_broken", "seq 4"),
    ]


def test_rows_out_of_order_are_caught():
    # given: the stream itself is out of order (seq values untouched)
    chain = _chain(4)
    tampered = [chain[0], chain[2], chain[1], chain[3]]
    # when
    _, problems = _verify(tampered, head=chain[-1])
    # then
    assert _codes(problems) == [
        ("audit_seq_gap", "seq 3"),
        ("audit_link_broken", "seq 3"),
        ("audit_seq_gap", "seq 2"),
        ("audit_link_broken", "seq 2"),
        ("audit_seq_gap", "seq 4"),
        ("audit_link_broken", "seq 4"),
    ]


@pytest.mark.parametrize(("_case", "kept"), [("last_row", 4), ("last_three", 2), ("all", 0)])
def test_a_truncated_tail_is_caught_against_the_head(_case, kept):
    # given
    chain = _chain(5)
    # when
    checked, problems = _verify(chain[:kept], head=chain[-1])
    # then
    assert checked == kept
    assert _codes(problems) == [("audit_tail_mismatch", "head")]


def test_a_removed_first_row_is_caught():
    # given
    chain = _chain(3)
    # when
    _, problems = _verify(chain[1:], head=chain[-1])
    # then
    assert _codes(problems) == [("audit_seq_gap", "seq 2"), ("audit_link_broken", "seq 2")]


def test_a_head_with_the_wrong_hash_is_caught():
    # given
    chain = _chain(3)
    # when
    _, problems = verify_chain(iter(chain), head_seq=3, head_hash="f" * 64)
    # then
    assert _codes(problems) == [("audit_tail_mismatch", "head")]


def test_problem_messages_are_plain_language():
    chain = _chain(3)
    _, problems = _verify(chain[:1], head=chain[-1])
    assert problems[0].message == (
        "The chain should end at event 3, but ends at 1: events were removed or added at the end."
    )


def test_the_hash_covers_the_link_to_the_previous_row():
    # given the same row pointing at two different predecessors
    record = _chain(1)[0]
    # then
    assert compute_hash(replace(record, prev_hash="f" * 64)) != compute_hash(record)


def test_a_rewritten_link_is_caught_as_an_altered_row_too():
    # given: row 3 is re-pointed at row 1 (as if row 2 were gone) without re-sealing it
    chain = _chain(5)
    chain[2] = replace(chain[2], prev_hash=chain[0].hash)
    # when
    _, problems = _verify(chain, head=chain[-1])
    # then the broken link and the row's own hash both tell
    assert _codes(problems) == [("audit_link_broken", "seq 3"), ("audit_row_altered", "seq 3")]


def test_the_hash_format_is_stable():
    # Stored chains were sealed with this exact input: SHA-256 of "prev_hash|canonical JSON"
    # (sorted keys, no spaces), here with the genesis hash as prev_hash.
    record = _chain(1)[0]
    assert record.hash == "a3125c5a8a01b635d9d7b73950cb9769e6100cb10cf3058efdc5a507ec13cbb8"
