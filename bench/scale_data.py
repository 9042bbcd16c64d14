"""The practice at scale for `bench/scale.py`: the demo built by the services, then cloned in bulk.

`seed_all` builds the demo practice through the real services (users, providers, supervision,
payers and rules, fees, 50 patients, appointments, notes signed and co-signed, charges captured
in-process, authorizations). That is the *template*. The bulk is then written with
`bulk_create` (a bulk path, not the services: it skips validation, audit events and the
hand-off) by copying template rows:

- patients (with guarantor, coverages, diagnoses and care team) up to `patients`;
- final notes with their charge sets and charge lines up to `notes`, spread over the last year
  and over the five authors (40 % the technician, whose supervisor sees them all);
- `awaiting` notes of the technician waiting for the supervisor's co-signature;
- `authorizations` prior authorizations, so the list is far past the old 500-row cut.

Only the per-note path that `scale.py` times goes through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from authorizations.models import AuthorizedCode, PriorAuthorization
from claims.models import Charge, ChargeSet
from clinical_notes.models import NoteStatus, SessionNote
from patients.models import CareTeamMember, Coverage, Guarantor, Patient, PatientDiagnosis
from practice.models import Practice, Provider

BATCH = 2_000
AUTHOR_WEIGHTS = {"tech": 40, "rbt": 20, "clinician": 20, "supervisor": 10, "bcba": 10}


def _copy(obj: models.Model, **changes: Any) -> Any:
    """An unsaved copy of `obj` (same field values) with `changes` applied."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return type(obj)(**values)


def _bulk(model: type[models.Model], rows: Iterable[models.Model]) -> list[Any]:
    return model.objects.bulk_create(list(rows), batch_size=BATCH)  # type: ignore[attr-defined]


def _patients(practice: Practice, target: int, rng: random.Random) -> list[int]:
    templates = list(Patient.objects.filter(practice=practice).order_by("pk"))
    ids = [p.pk for p in templates]
    missing = target - len(templates)
    if missing <= 0:
        return ids[:target]
    coverages: dict[int, list[Coverage]] = {}
    for c in Coverage.objects.filter(patient__in=templates):
        coverages.setdefault(c.patient_id, []).append(c)
    diagnoses: dict[int, list[PatientDiagnosis]] = {}
    for d in PatientDiagnosis.objects.filter(patient__in=templates):
        diagnoses.setdefault(d.patient_id, []).append(d)
    teams: dict[int, list[CareTeamMember]] = {}
    for m in CareTeamMember.objects.filter(patient__in=templates):
        teams.setdefault(m.patient_id, []).append(m)
    guarantors = {g.patient_id: g for g in Guarantor.objects.filter(patient__in=templates)}
    sources = [templates[i % len(templates)] for i in range(missing)]
    made = _bulk(
        Patient,
        (
            _copy(
                src,
                account_number=f"SC-{i:06d}",
                last_name=f"{src.last_name}{i:05d}",
                date_of_birth=src.date_of_birth - dt.timedelta(days=rng.randrange(0, 3000)),
            )
            for i, src in enumerate(sources)
        ),
    )
    pairs = list(zip(sources, made, strict=True))
    _bulk(Guarantor, (_copy(guarantors[s.pk], patient_id=p.pk) for s, p in pairs if s.pk in guarantors))
    _bulk(
        Coverage,
        (
            _copy(c, patient_id=p.pk, member_id=f"{c.member_id[:20]}{p.pk}")
            for s, p in pairs
            for c in coverages.get(s.pk, [])
        ),
    )
    _bulk(PatientDiagnosis, (_copy(d, patient_id=p.pk) for s, p in pairs for d in diagnoses.get(s.pk, [])))
    _bulk(CareTeamMember, (_copy(m, patient_id=p.pk) for s, p in pairs for m in teams.get(s.pk, [])))
    return ids + [p.pk for p in made]


def _final_templates(practice: Practice) -> dict[int, list[SessionNote]]:
    """The template's final notes that have charges, by author."""
    by_author: dict[int, list[SessionNote]] = {}
    charged = ChargeSet.objects.filter(practice=practice).values("note_id")
    for note in SessionNote.objects.filter(practice=practice, status=NoteStatus.FINAL, pk__in=charged):
        by_author.setdefault(note.author_id, []).append(note)
    return by_author


def _notes(
    *,
    practice: Practice,
    authors: dict[str, Provider],
    patient_ids: Sequence[int],
    count: int,
    today: dt.date,
    rng: random.Random,
) -> int:
    templates = _final_templates(practice)
    keys = [k for k in AUTHOR_WEIGHTS if templates.get(authors[k].pk)]
    weights = [AUTHOR_WEIGHTS[k] for k in keys]
    sets = {cs.note_id: cs for cs in ChargeSet.objects.filter(practice=practice)}
    lines: dict[int, list[Charge]] = {}
    for line in Charge.objects.filter(charge_set__in=sets.values()).order_by("line_number"):
        lines.setdefault(line.charge_set_id, []).append(line)
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        picks = []
        for _ in range(size):
            src = rng.choice(templates[authors[rng.choices(keys, weights)[0]].pk])
            day = today - dt.timedelta(days=rng.randrange(1, 365))
            picks.append((src, rng.choice(patient_ids), day))
        with transaction.atomic():
            notes = _bulk(
                SessionNote,
                (
                    _copy(src, patient_id=pid, appointment_id=None, date_of_service=day)
                    for src, pid, day in picks
                ),
            )
            charge_sets = _bulk(
                ChargeSet,
                (
                    _copy(sets[src.pk], note_id=note.pk, patient_id=pid, date_of_service=day)
                    for (src, pid, day), note in zip(picks, notes, strict=True)
                ),
            )
            _bulk(
                Charge,
                (
                    _copy(line, charge_set_id=cs.pk)
                    for (src, _pid, _day), cs in zip(picks, charge_sets, strict=True)
                    for line in lines.get(sets[src.pk].pk, [])
                ),
            )
        made += size
    return made


def _awaiting(
    *, practice: Practice, author: Provider, supervisor: Provider, patient_ids: Sequence[int], count: int
) -> int:
    """Notes of `author` signed and waiting for `supervisor` (copies of one of the author's notes)."""
    src = (
        SessionNote.objects.filter(practice=practice, author=author).exclude(status=NoteStatus.DRAFT).first()
    )
    if src is None:
        return 0
    now = timezone.now()
    rows = [
        _copy(
            src,
            patient_id=patient_ids[i % len(patient_ids)],
            appointment_id=None,
            status=NoteStatus.AWAITING_COSIGN,
            requires_cosign=True,
            supervisor_id=supervisor.pk,
            signed_at=now - dt.timedelta(hours=6 * i),
            date_of_service=(now - dt.timedelta(hours=6 * i)).date(),
            cosigned_at=None,
            cosigned_by_id=None,
            finalized_at=None,
        )
        for i in range(count)
    ]
    return len(_bulk(SessionNote, rows))


def _authorizations(*, practice: Practice, patient_ids: Sequence[int], count: int, today: dt.date) -> int:
    templates = list(PriorAuthorization.objects.filter(practice=practice).order_by("pk"))
    if not templates:
        return 0
    codes = {}
    for code in AuthorizedCode.objects.filter(authorization__in=templates):
        codes.setdefault(code.authorization_id, []).append(code)
    sources = [templates[i % len(templates)] for i in range(count)]
    made = _bulk(
        PriorAuthorization,
        (
            _copy(
                src,
                patient_id=patient_ids[(i * 7) % len(patient_ids)],
                number=f"SC{i:07d}",
                start_on=today - dt.timedelta(days=120 - i % 90),
                end_on=today + dt.timedelta(days=10 + i % 200),
            )
            for i, src in enumerate(sources)
        ),
    )
    _bulk(
        AuthorizedCode,
        (
            _copy(c, authorization_id=a.pk)
            for s, a in zip(sources, made, strict=True)
            for c in codes.get(s.pk, [])
        ),
    )
    return len(made)


def build_scale(
    *,
    practice: Practice,
    patients: int,
    notes: int,
    awaiting: int,
    authorizations: int,
    today: dt.date,
    seed: int,
) -> dict[str, int]:
    """Grow the seeded practice to the given sizes (bulk copies; see the module docstring)."""
    rng = random.Random(seed)
    authors = {
        p.user.username: p
        for p in Provider.objects.filter(practice=practice, user__isnull=False).select_related("user")
    }
    patient_ids = _patients(practice, patients, rng)
    return {
        "patients": len(patient_ids),
        "final_notes_added": _notes(
            practice=practice, authors=authors, patient_ids=patient_ids, count=notes, today=today, rng=rng
        ),
        "awaiting_cosign_added": _awaiting(
            practice=practice,
            author=authors["tech"],
            supervisor=authors["supervisor"],
            patient_ids=patient_ids,
            count=awaiting,
        ),
        "authorizations_added": _authorizations(
            practice=practice, patient_ids=patient_ids, count=authorizations, today=today
        ),
    }
