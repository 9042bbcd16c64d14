"""The SFTP batch clearinghouse in the eligibility workflow, against the in-process asyncssh
server: "Verify now" sends a 270 file and waits (a transient failure the job retries); the
beat's collector stores the 271 against its check by trace number, once, however often the
file comes."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

import pytest

from clearinghouse.interface import PermanentClearinghouseError
from clearinghouse.sandbox import respond_271
from core.models import BackgroundJob
from eligibility import services
from eligibility.adapters import adapter_for
from eligibility.models import EligibilityCheck, EligibilitySettings
from practice.models import SftpConnection
from tests.clearinghouse.sftp_servers import Endpoint
from tests.eligibility.world import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(asyncssh_sftp_server: Endpoint) -> Iterator[Endpoint]:
    yield asyncssh_sftp_server
    for path in asyncssh_sftp_server.root.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


@pytest.fixture
def world(make_member, server: Endpoint) -> World:  # type: ignore[no-untyped-def]
    world = make_world(make_member)
    SftpConnection.objects.create(
        practice=world.practice,
        host=server.host,
        port=server.port,
        username=server.username,
        key_path=server.key_path,
        known_host_key=server.host_key_line,
    )
    EligibilitySettings.objects.create(practice=world.practice, clearinghouse="sftp")
    return world


def _run(check: EligibilityCheck) -> None:
    with contextlib.suppress(services.CheckRetry):
        services.eligibility_check_run(check_id=check.pk)
    check.refresh_from_db()


def _sent_270(server: Endpoint) -> str:
    (sent,) = sorted((server.root / "outbox").iterdir())
    return sent.read_text()


def test_the_registry_builds_the_practices_sftp_adapter(world: World) -> None:
    adapter = adapter_for("sftp", practice_id=world.practice.pk)
    assert (adapter.name, adapter.is_sandbox) == ("sftp", False)
    SftpConnection.objects.filter(practice=world.practice).delete()
    with pytest.raises(PermanentClearinghouseError, match="no SFTP connection"):
        adapter_for("sftp", practice_id=world.practice.pk)


def test_an_sftp_check_waits_then_the_collector_stores_its_271_once(world: World, server: Endpoint) -> None:
    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    assert (check.clearinghouse, check.is_sandbox) == ("sftp", False)
    _run(check)
    assert check.status == EligibilityCheck.Status.FAILED_TRANSIENT
    assert "no 271" in check.error_message
    answer = respond_271(_sent_270(server))
    assert check.trace_number in answer
    server.write("inbox/271_0001.x12", answer)

    report = services.eligibility_sftp_collect(practice_id=world.practice.pk)

    assert report.processed == ["271_0001.x12"], report
    check.refresh_from_db()
    assert check.status == EligibilityCheck.Status.DONE
    assert check.summary["coverage"] == "covered"
    exchanges = list(check.exchanges.values_list("outcome", "response_x12"))
    assert exchanges == [("sent", ""), ("answered", answer)]
    finished = check.finished_at

    server.write("inbox/271_0001.x12", answer)  # the same file again: a duplicate, not stored
    server.write("inbox/271_0002.x12", answer)  # the same answer under another name
    again = services.eligibility_sftp_collect(practice_id=world.practice.pk)
    assert (again.duplicates, again.processed) == (["271_0001.x12"], ["271_0002.x12"])
    _run(check)  # the job's retry finds the check answered
    check.refresh_from_db()
    assert check.finished_at == finished
    assert check.exchanges.count() == 2
    assert sorted(p.name for p in (server.root / "inbox").iterdir()) == []


def test_an_answer_for_another_practices_trace_number_is_not_stored(
    world: World, server: Endpoint, make_member
) -> None:  # type: ignore[no-untyped-def]
    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    _run(check)
    server.write("inbox/271_0001.x12", respond_271(_sent_270(server)))
    other = make_world(make_member)
    SftpConnection.objects.create(
        practice=other.practice,
        host=server.host,
        port=server.port,
        username=server.username,
        key_path=server.key_path,
        known_host_key=server.host_key_line,
    )
    assert services.eligibility_sftp_collect(practice_id=other.practice.pk).processed == ["271_0001.x12"]
    check.refresh_from_db()
    assert check.status == EligibilityCheck.Status.FAILED_TRANSIENT


def test_the_beat_queues_one_durable_collect_job_per_sftp_practice_and_slot(
    world: World, make_member
) -> None:  # type: ignore[no-untyped-def]
    sandbox = make_world(make_member)
    EligibilitySettings.objects.create(practice=sandbox.practice, clearinghouse="sandbox")
    assert services.eligibility_sftp_collect_enqueue(slot="202612060910") == 1
    assert services.eligibility_sftp_collect_enqueue(slot="202612060910") == 1
    jobs = BackgroundJob.objects.filter(task_name=services.COLLECT_TASK)
    assert list(jobs.values_list("key", "kwargs")) == [
        (f"eligibility.sftp_collect:{world.practice.pk}:202612060910", {"practice_pk": world.practice.pk})
    ]
    services.eligibility_sftp_collect_enqueue(slot="202612060920")
    assert jobs.count() == 2


def test_the_collector_visits_practices_that_use_sftp_by_choice_or_by_default(
    world: World, server: Endpoint, make_member
) -> None:  # type: ignore[no-untyped-def]
    from django.test import override_settings

    from eligibility.selectors import sftp_practice_ids

    by_default = make_world(make_member)  # no settings row: the deployment's default
    chose_sandbox = make_world(make_member)
    for w in (by_default, chose_sandbox):
        SftpConnection.objects.create(
            practice=w.practice, host="h", username="u", key_path="/k", known_host_key="x y"
        )
    EligibilitySettings.objects.create(practice=chose_sandbox.practice, clearinghouse="sandbox")
    make_world(make_member)  # no SFTP connection at all
    with override_settings(ELIGIBILITY_CLEARINGHOUSE="sftp"):
        assert sftp_practice_ids() == sorted([world.practice.pk, by_default.practice.pk])
    with override_settings(ELIGIBILITY_CLEARINGHOUSE="sandbox"):
        assert sftp_practice_ids() == [world.practice.pk]


def test_the_collect_job_runs_the_collector(world: World, server: Endpoint) -> None:
    from eligibility.tasks import eligibility_sftp_collect_task

    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    _run(check)
    server.write("inbox/271_0001.x12", respond_271(_sent_270(server)))
    services.eligibility_sftp_collect_enqueue(slot="202612060930")
    job = BackgroundJob.objects.get(task_name=services.COLLECT_TASK)
    eligibility_sftp_collect_task(job_id=job.pk, **job.kwargs)
    job.refresh_from_db()
    check.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert check.status == EligibilityCheck.Status.DONE


def _files(server: Endpoint, folder: str) -> list[str]:
    path = server.root / folder
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def _isa13(x12: str) -> int:
    from edi.reader import read_interchange

    return int(read_interchange(x12).isa.get(13))


def test_retries_of_an_sftp_check_wait_for_the_first_upload_and_never_send_again(
    world: World, server: Endpoint
) -> None:
    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    _run(check)
    first = _sent_270(server)
    control = check.sent_control_number
    assert control is not None
    assert _files(server, "outbox") == [f"270_{control:09d}.x12"]
    assert _isa13(first) == control
    # the job's retries poll: no second file, no new control number, one "sent" exchange
    _run(check)
    # the clearinghouse took the file from the outbox meanwhile: still not sent again
    (server.root / "outbox" / f"270_{control:09d}.x12").unlink()
    _run(check)
    assert (check.status, check.attempts) == (EligibilityCheck.Status.FAILED_TRANSIENT, 3)
    assert _files(server, "outbox") == []
    assert _files(server, "archive/sent") == [f"270_{control:09d}.x12"]
    assert list(check.exchanges.values_list("outcome", "interchange_control_number")) == [("sent", control)]
    assert check.sent_control_number == control
    # the answer to the first upload comes: the next retry stores it against that 270
    answer = respond_271(first)
    server.write("inbox/271_0001.x12", answer)
    _run(check)
    assert check.status == EligibilityCheck.Status.DONE
    answered = check.exchanges.get(outcome="answered")
    assert (answered.interchange_control_number, answered.response_x12) == (control, answer)
    assert answered.request_x12 == first  # the 270 as it went up, not a rebuilt one
    assert _isa13(answered.request_x12) == control


def test_an_upload_that_never_arrived_is_sent_on_the_retry_with_the_same_control_number(
    world: World, server: Endpoint
) -> None:
    coverage = world.coverage("SBX1002")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    SftpConnection.objects.filter(practice=world.practice).update(port=_closed_port())
    _run(check)  # the server is unreachable: nothing went up
    assert check.status == EligibilityCheck.Status.FAILED_TRANSIENT
    assert "unreachable" in check.error_message
    control = check.sent_control_number
    assert control is not None
    assert _files(server, "outbox") == []
    SftpConnection.objects.filter(practice=world.practice).update(port=server.port)
    _run(check)  # the server is back: the 270 goes up now, under the number kept
    assert _files(server, "outbox") == [f"270_{control:09d}.x12"]
    assert _isa13(_sent_270(server)) == control
    assert list(check.exchanges.values_list("outcome", "interchange_control_number")) == [
        ("transient", control),
        ("sent", control),
    ]
    server.write("inbox/271_0001.x12", respond_271(_sent_270(server)))
    services.eligibility_sftp_collect(practice_id=world.practice.pk)
    check.refresh_from_db()
    assert check.status == EligibilityCheck.Status.DONE
    assert check.exchanges.get(outcome="answered").interchange_control_number == control


def test_an_sftp_check_killed_mid_upload_reuses_the_number_it_kept(world: World, server: Endpoint) -> None:
    """A worker killed after the control number was kept and the 270 went up (but before
    anything was recorded): the redelivered job finds that file and sends nothing new."""
    coverage = world.coverage("SBX1003")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    _run(check)
    control = check.sent_control_number
    EligibilityCheck.objects.filter(pk=check.pk).update(status="running")  # as the dead worker left it
    _run(check)
    assert _files(server, "archive/sent") == [f"270_{control:09d}.x12"]
    assert check.exchanges.filter(outcome="sent").count() == 1


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_connection_saved_on_the_settings_screen_signs_in_and_sends(
    make_member, client_for, settings, tmp_path, server: Endpoint
) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from django.urls import reverse

    from tests.eligibility.matrix_entries import sftp_form_data

    settings.SFTP_KEYS_DIR = str(tmp_path / "keys")
    world = make_world(make_member)
    admin = client_for(make_member("practice_admin", world.practice))
    data = sftp_form_data(
        host=server.host,
        port=str(server.port),
        username=server.username,
        known_host_key=server.host_key_line,
        private_key=Path(server.key_path).read_text(),
    )
    assert admin.post(reverse("eligibility:sftp_settings"), data).status_code == 302
    assert (
        admin.post(
            reverse("eligibility:settings"),
            {"clearinghouse": "sftp", "days_ahead": 7, "reverify_after_days": 30, "appointment_gap_days": 60},
        ).status_code
        == 302
    )
    coverage = world.coverage("SBX1001")
    check = services.eligibility_verify_now(access=world.access, coverage_id=coverage.pk)
    _run(check)
    assert check.status == EligibilityCheck.Status.FAILED_TRANSIENT  # sent, waiting for the 271
    assert check.trace_number in _sent_270(server)
