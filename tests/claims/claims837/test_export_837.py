"""Stored claims into 837P files: every scenario passes pyx12 (original, supervised tech with
2310D, telehealth, several lines and diagnoses, a replacement with REF*F8), the mapping reads
a constant number of queries, claims the 837 cannot carry are left out with a reason (C11),
and `claims_export_837` writes the files and says how many claims each holds."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from claims.selectors.x837 import claims_837_inputs
from claims.services.assembly import claims_assemble
from claims.services.batch_file import claims_837_file
from claims.services.transitions import claim_new_version_draft, claim_transition
from tests.claims.claims837.world import make_world, reviewed_set
from tests.edi.pyx12_oracle import pyx12_validate
from tests.factories import CoverageFactory, PatientFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 9)
ASSEMBLY_QUERIES = 25  # bench/claims_837.py prints the same at 1,000 and 10,000 claims


def _segments(text: str, tag: str) -> list[str]:
    return [s for s in text.split("~") if s.startswith(tag + "*")]


def _scenarios(world):
    """original, supervised tech, telehealth, several lines/diagnoses, a dependent patient."""
    reviewed_set(world, MON, auth_number="AUTH77")
    reviewed_set(
        world, MON, [("H2019", 4, 8000)], rendering=world.tech, supervising=world.supervisor,
        supervisor_billing="with_supervisor", modifiers=("HN",),
    )  # fmt: skip
    reviewed_set(world, MON + dt.timedelta(days=1), [("90834", 1, 11000)], pos="10", modifiers=("95",))
    reviewed_set(
        world, MON + dt.timedelta(days=2), [("90837", 1, 15000), ("90785", 1, 2500)],
        diagnoses=("F33.1", "F41.1", "F43.10"),
    )  # fmt: skip
    child = PatientFactory(practice=world.practice, sex="M")
    coverage = CoverageFactory(
        patient=child, payer=world.payer, subscriber_relationship="19", subscriber_first_name="Ana",
        subscriber_last_name="Rivera", subscriber_date_of_birth=dt.date(1985, 4, 2), subscriber_sex="F",
    )  # fmt: skip
    reviewed_set(world, MON, patient=child, coverage=coverage)
    return claims_assemble(world.practice.pk, actor=None)


def test_every_scenario_builds_a_pyx12_clean_file():
    world = make_world()
    result = _scenarios(world)
    assert result.ready == 5, Claim.objects.values_list("findings", flat=True)
    built = claims_837_file(list(result.claim_ids), practice_id=world.practice.pk)
    assert built.claim_count == 5
    assert built.excluded == ()
    ok, ack = pyx12_validate(built.text)
    assert ok, ack
    text = built.text
    assert len(_segments(text, "CLM")) == 5
    assert "REF*G1*AUTH77" in text
    supervisor = world.supervisor
    assert (
        f"NM1*DQ*1*{supervisor.last_name.upper()}*{supervisor.first_name.upper()}****XX*{supervisor.npi}"
        in text
    )
    assert any(s.startswith("CLM*") and "*10:B:1*" in s for s in _segments(text, "CLM"))  # telehealth POS 10
    assert "SV1*HC:90834:95*110*UN*1***1" in text
    assert "HI*ABK:F331*ABF:F411*ABF:F4310" in text
    refs = [s for s in _segments(text, "REF") if s.startswith("REF*6R*")]
    assert len(refs) == 6
    assert len(set(refs)) == 6
    assert "PAT*19" in text  # the child is not the subscriber: 2000C
    assert f"ISA*00*          *00*          *ZZ*PARITY{world.practice.pk}" in text
    assert f"*{built.interchange_control_number:09d}*0*T*:~" in text


def test_a_replacement_carries_frequency_7_and_the_payer_claim_number():
    world = make_world()
    reviewed_set(world, MON)
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    for to in ("queued", "submitted", "accepted_clearinghouse", "accepted_payer", "denied"):
        claim_transition(claim_id, to, actor=None)
    Claim.objects.filter(pk=claim_id).update(payer_claim_number="PAYER123")
    new = claim_new_version_draft(claim_id, actor=None, reason="Modifier corrected.", frequency="7")
    built = claims_837_file([new.pk], practice_id=world.practice.pk)
    ok, ack = pyx12_validate(built.text)
    assert ok, ack
    assert "*11:B:7*" in built.text
    assert "REF*F8*PAYER123" in built.text


def test_the_mapping_reads_a_constant_number_of_queries():
    world = make_world(frequency="per_session")
    for offset in range(2):
        reviewed_set(world, MON + dt.timedelta(days=offset))
    few = list(claims_assemble(world.practice.pk, actor=None).claim_ids)
    for offset in range(2, 12):
        reviewed_set(world, MON + dt.timedelta(days=offset), [("90837", 1, 15000), ("90785", 1, 2500)])
    many = list(Claim.objects.values_list("pk", flat=True))
    claims_assemble(world.practice.pk, actor=None)
    many = list(Claim.objects.values_list("pk", flat=True))
    assert len(many) == 12
    assert queries_of(lambda: claims_837_inputs(few)) == queries_of(lambda: claims_837_inputs(many)) == 2


def test_assembly_queries_do_not_grow_with_the_number_of_claims():
    small, large = make_world(), make_world()
    for offset in range(2):
        reviewed_set(small, MON + dt.timedelta(days=offset))
    for offset in range(20):
        reviewed_set(large, MON + dt.timedelta(days=offset % 28), [("90837", 1, 15000), ("90785", 1, 2500)])
    few = queries_of(lambda: claims_assemble(small.practice.pk, actor=None))
    lots = queries_of(lambda: claims_assemble(large.practice.pk, actor=None))
    assert Claim.objects.filter(practice=large.practice).count() == 20
    assert few == lots


def test_the_837_file_reads_a_constant_number_of_queries():
    """The file of 12 claims costs what the file of 2 does: the claims with their people, their
    lines, the interchange number (issue 11: bench/claims_837.py prints 3 at 10,000 claims)."""
    # given
    world = make_world(frequency="per_session")
    for offset in range(2):
        reviewed_set(world, MON + dt.timedelta(days=offset))
    few = list(claims_assemble(world.practice.pk, actor=None).claim_ids)
    for offset in range(2, 12):
        reviewed_set(world, MON + dt.timedelta(days=offset), [("90837", 1, 15000), ("90785", 1, 2500)])
    many = [*few, *claims_assemble(world.practice.pk, actor=None).claim_ids]
    # when
    small = queries_of(lambda: claims_837_file(few, practice_id=world.practice.pk))
    large = queries_of(lambda: claims_837_file(many, practice_id=world.practice.pk))
    # then
    assert len(many) == 12
    assert small == large == 3
    assert claims_837_file(many, practice_id=world.practice.pk).claim_count == 12


def test_assembly_query_count_is_pinned():
    """Issue 11: the assembly's queries are a fixed number (the lock, the reads, the numbers, the
    enrolments, the ids, one COPY per table), so a change that adds one per claim, or one at
    all, shows here."""
    # given
    world = make_world()
    for offset in range(5):
        reviewed_set(world, MON + dt.timedelta(days=offset))
    # when
    count = queries_of(lambda: claims_assemble(world.practice.pk, actor=None))
    # then
    assert Claim.objects.filter(practice=world.practice).count() == 5
    assert count == ASSEMBLY_QUERIES


def test_c11_a_claim_the_837_cannot_carry_is_left_out_with_its_reason():
    """Pitfall C11: one claim without a subscriber (no member ID) is excluded, named, and the
    rest export; the file never holds an empty SBR."""
    world = make_world()
    other = CoverageFactory(patient=PatientFactory(practice=world.practice), payer=world.payer)
    reviewed_set(world, MON)
    reviewed_set(world, MON + dt.timedelta(days=1), patient=other.patient, coverage=other)
    ids = list(claims_assemble(world.practice.pk, actor=None).claim_ids)
    other.member_id = ""  # lost after the claim was scrubbed
    other.save()
    built = claims_837_file(ids, practice_id=world.practice.pk)
    assert built.claim_ids == (ids[0],)
    ((pk, reason),) = built.excluded
    assert pk == ids[1]
    assert "member_id" in reason
    ok, ack = pyx12_validate(built.text)
    assert ok, ack
    assert "SBR*P*18*" in built.text
    assert "SBR~" not in built.text


def test_claims_export_837_writes_ready_claims_and_with_all_every_claim(tmp_path):
    world = make_world()
    _scenarios(world)
    first = Claim.objects.filter(practice=world.practice).order_by("pk").first()
    claim_transition(first.pk, "queued", actor=None)
    out = StringIO()
    call_command("claims_export_837", "--out", str(tmp_path / "ready"), stdout=out)
    (written,) = (tmp_path / "ready").iterdir()
    assert ": 4 claim(s), $" in out.getvalue()
    ok, ack = pyx12_validate(written.read_text())
    assert ok, ack
    out = StringIO()
    call_command(
        "claims_export_837",
        "--out",
        str(tmp_path / "all"),
        "--all",
        "--practice",
        str(world.practice.pk),
        stdout=out,
    )
    (written,) = (tmp_path / "all").iterdir()
    assert ": 5 claim(s), $" in out.getvalue()
    assert len(_segments(written.read_text(), "CLM")) == 5
    assert Claim.objects.get(pk=first.pk).status == "queued"  # nothing submitted or moved


def test_claims_export_837_names_what_it_left_out(tmp_path):
    world = make_world()
    reviewed_set(world, MON)
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    Claim.objects.filter(pk=claim_id).update(diagnoses=[])
    err = StringIO()
    with pytest.raises(CommandError, match="1 claim"):
        call_command("claims_export_837", "--out", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "diagnoses" in err.getvalue()


def test_c16_a_batch_file_is_built_once_and_a_new_file_never_reuses_an_isa13():
    """Pitfall C16: a retried send carries the same bytes and ISA13; another file gets a new one."""
    from claims.models import ClaimBatch, ClaimBatchItem
    from claims.services.batch_file import claim_batch_file

    world = make_world()
    reviewed_set(world, MON)
    reviewed_set(world, MON + dt.timedelta(days=1))
    first_id, second_id = claims_assemble(world.practice.pk, actor=None).claim_ids
    batches = []
    for claim_id in (first_id, second_id):
        batch = ClaimBatch.objects.create(practice=world.practice)
        ClaimBatchItem.objects.create(batch=batch, claim_id=claim_id)
        batches.append(batch)
    built = claim_batch_file(batches[0].pk)
    again = claim_batch_file(batches[0].pk)
    assert (again.x12, again.interchange_control_number) == (built.x12, built.interchange_control_number)
    assert built.claim_count == 1
    assert built.file_name.endswith(f"{built.interchange_control_number:09d}.x12")
    other = claim_batch_file(batches[1].pk)
    assert other.interchange_control_number != built.interchange_control_number
    ok, ack = pyx12_validate(other.x12)
    assert ok, ack
