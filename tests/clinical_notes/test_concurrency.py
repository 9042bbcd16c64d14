"""Concurrent co-sign and return of the same note: exactly one wins (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from clinical_notes import services
from clinical_notes.models import NoteEvent, SessionNote
from core.errors import Conflict
from tests.clinical_notes.helpers import session_start, sign, write_note

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*actions):
    """Start every action at the same moment, each in its own thread (own connection)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("round_", range(3))
def test_cosign_and_return_at_once_exactly_one_wins(clinic, eager_tasks, round_):
    # given a note waiting for co-signature
    tech = clinic.access(clinic.tech_user)
    supervisor = clinic.access(clinic.supervisor_user)
    note = sign(
        tech,
        write_note(
            tech,
            patient_id=clinic.patient.pk,
            diagnosis_ids=[clinic.diagnosis.pk],
            start=session_start(hour=9 + round_),
            seed=round_,
        ),
    )
    # when the supervisor co-signs and returns it in two tabs at the same moment
    cosigned, returned = _race(
        lambda: services.note_cosign(access=supervisor, note_id=note.pk, attested=True),
        lambda: services.note_return(access=supervisor, note_id=note.pk, comment="Add the data."),
    )
    # then exactly one succeeded and the other was told someone acted first
    outcomes = [cosigned, returned]
    winners = [o for o in outcomes if isinstance(o, SessionNote)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    assert losers[0].code == "transition_conflict"
    stored = SessionNote.objects.get(pk=note.pk)
    assert stored.status == winners[0].status
    assert stored.status in {"final", "returned"}
    assert list(
        NoteEvent.objects.filter(note=note, from_status="awaiting_cosign").values_list("to_status", flat=True)
    ) == [stored.status]


def test_two_cosigns_at_once_finalise_once_and_hand_off_once(clinic, eager_tasks):
    from claims.models import BillableNote

    tech = clinic.access(clinic.tech_user)
    supervisor = clinic.access(clinic.supervisor_user)
    note = sign(tech, write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    outcomes = _race(
        lambda: services.note_cosign(access=supervisor, note_id=note.pk, attested=True),
        lambda: services.note_cosign(access=supervisor, note_id=note.pk, attested=True),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "SessionNote"]
    assert NoteEvent.objects.filter(note=note, to_status="final").count() == 1
    assert list(BillableNote.objects.values_list("note_id", flat=True)) == [note.pk]
