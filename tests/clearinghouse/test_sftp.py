"""clearinghouse.sftp against a real SFTP server on loopback (asyncssh in-process; OpenSSH as root).

The clearinghouse's side is played by writing and reading the server's folders on disk.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from clearinghouse.interface import (
    EligibilityAdapter,
    EligibilityCheck,
    PermanentClearinghouseError,
    TransientClearinghouseError,
)
from clearinghouse.sandbox import respond_271
from clearinghouse.sftp import InboxFile, SftpBatchClearinghouse, file_name_270
from edi.x270 import build_270
from tests.clearinghouse.sftp_servers import Endpoint
from tests.edi.samples import SUBSCRIBER, envelope
from tests.edi.samples import request as inquiry


def check(n: int, member_id: str = "SBX1001") -> EligibilityCheck:
    return EligibilityCheck(
        inquiry(subscriber=replace(SUBSCRIBER, member_id=member_id), trace_number=f"ELG-{n:06d}"),
        envelope(interchange_control_number=n),
    )


def answer(ep: Endpoint, name: str, *checks: EligibilityCheck) -> str:
    """The clearinghouse drops a 271 answering `checks` (one interchange per check, one file)."""
    text = "".join(respond_271(build_270(c.request, c.envelope)) for c in checks[:1])
    ep.write(f"inbox/{name}", text)
    return text


def test_the_adapter_meets_the_protocol(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    assert isinstance(adapter, EligibilityAdapter)
    assert adapter.is_sandbox is False


def test_send_publishes_whole_files_and_keeps_a_copy(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    sent = adapter.send([check(1), check(2)])
    assert [(s.name, s.already_sent) for s in sent] == [
        ("270_000000001.x12", False),
        ("270_000000002.x12", False),
    ]
    outbox = sftp_server.root / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["270_000000001.x12", "270_000000002.x12"]
    body = (outbox / "270_000000001.x12").read_text()
    assert body == build_270(check(1).request, check(1).envelope)
    assert (sftp_server.root / "archive" / "sent" / "270_000000001.x12").read_text() == body


def test_send_is_idempotent_even_after_the_clearinghouse_took_the_file(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    adapter.send([check(1)])
    (sftp_server.root / "outbox" / file_name_270(1)).unlink()  # the clearinghouse picked it up
    again = adapter.send([check(1), check(3)])
    assert [(s.name, s.already_sent) for s in again] == [
        ("270_000000001.x12", True),
        ("270_000000003.x12", False),
    ]
    assert sorted(p.name for p in (sftp_server.root / "outbox").iterdir()) == ["270_000000003.x12"]


def test_check_eligibility_polls_without_resending_then_matches_by_trace(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    with pytest.raises(TransientClearinghouseError, match="ELG-000005") as pending:
        adapter.check_eligibility(check(5))
    assert pending.value.request_x12.startswith("ISA*")
    answer(sftp_server, "271_other.x12", check(6))  # another inquiry's answer: not ours
    with pytest.raises(TransientClearinghouseError):
        adapter.check_eligibility(check(5))
    text = answer(sftp_server, "271_mine.x12", check(5))
    result = adapter.check_eligibility(check(5))
    assert result.response_x12 == text
    assert [e.trace_numbers for e in result.response.transactions] == [["ELG-000005"]]
    assert result.response.transactions[0].coverage_status == "active"
    assert sorted(p.name for p in (sftp_server.root / "archive" / "sent").iterdir()) == ["270_000000005.x12"]
    # looking never moves a file: collect() owns the inbox
    assert sorted(p.name for p in (sftp_server.root / "inbox").iterdir()) == ["271_mine.x12", "271_other.x12"]


def test_collect_hands_each_file_then_archives_it(sftp_server: Endpoint) -> None:
    answer(sftp_server, "271_a.x12", check(1))
    answer(sftp_server, "271_b.x12", check(2))
    sftp_server.write("inbox/.271_c.x12.part", "ISA*half")  # still uploading
    seen: list[tuple[str, list[str]]] = []

    def handle(file: InboxFile) -> None:
        seen.append((file.name, file.trace_numbers))

    report = SftpBatchClearinghouse(sftp_server.settings()).collect(handle)
    assert seen == [("271_a.x12", ["ELG-000001"]), ("271_b.x12", ["ELG-000002"])]
    assert report.processed == ["271_a.x12", "271_b.x12"]
    assert sorted(p.name for p in (sftp_server.root / "inbox").iterdir()) == [".271_c.x12.part"]
    assert sorted(p.name for p in (sftp_server.root / "archive").iterdir() if p.is_file()) == [
        "271_a.x12",
        "271_b.x12",
    ]


def test_a_failing_handler_leaves_the_file_for_the_next_run(sftp_server: Endpoint) -> None:
    answer(sftp_server, "271_a.x12", check(1))
    adapter = SftpBatchClearinghouse(sftp_server.settings())

    def broken(file: InboxFile) -> None:
        raise RuntimeError("database down")

    report = adapter.collect(broken)
    assert report.failed == [("271_a.x12", "RuntimeError: database down")]
    assert report.processed == []
    assert (sftp_server.root / "inbox" / "271_a.x12").exists()
    names: list[str] = []
    assert adapter.collect(lambda f: names.append(f.name)).processed == ["271_a.x12"]
    assert names == ["271_a.x12"]
    assert adapter.collect(lambda f: names.append(f.name)).processed == []  # nothing twice
    assert names == ["271_a.x12"]


def test_the_same_file_delivered_again_is_not_processed_twice(sftp_server: Endpoint) -> None:
    text = answer(sftp_server, "271_a.x12", check(1))
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    calls: list[str] = []
    adapter.collect(lambda f: calls.append(f.name))
    sftp_server.write("inbox/271_a.x12", text)  # the clearinghouse resends it
    report = adapter.collect(lambda f: calls.append(f.name))
    assert calls == ["271_a.x12"]
    assert report.duplicates == ["271_a.x12"]
    assert (sftp_server.root / "archive" / "duplicates" / "271_a.x12").read_text() == text


def test_a_new_file_under_an_archived_name_is_processed_and_kept_beside_it(sftp_server: Endpoint) -> None:
    answer(sftp_server, "271_a.x12", check(1))
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    adapter.collect(lambda f: None)
    answer(sftp_server, "271_a.x12", check(2))  # same name, another answer
    calls: list[list[str]] = []
    assert adapter.collect(lambda f: calls.append(f.trace_numbers)).processed == ["271_a.x12"]
    assert calls == [["ELG-000002"]]
    assert (sftp_server.root / "archive" / "271_a.x12.1").exists()


def test_an_unreadable_file_is_rejected_with_its_reason_and_kept(sftp_server: Endpoint) -> None:
    sftp_server.write("inbox/271_bad.x12", "ISA*00*truncated")
    calls: list[str] = []
    report = SftpBatchClearinghouse(sftp_server.settings()).collect(lambda f: calls.append(f.name))
    assert calls == []
    assert [name for name, _ in report.rejected] == ["271_bad.x12"]
    assert report.rejected[0][1]  # the parser's message, naming what is wrong
    assert (sftp_server.root / "rejected" / "271_bad.x12").read_text() == "ISA*00*truncated"


def test_an_unknown_host_key_is_refused_never_accepted(sftp_server: Endpoint) -> None:
    import asyncssh

    stranger = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    line = " ".join(stranger.split()[:2])
    adapter = SftpBatchClearinghouse(sftp_server.settings(known_host_key=line))
    with pytest.raises(PermanentClearinghouseError, match="host key"):
        adapter.send([check(1)])
    assert not (sftp_server.root / "outbox").exists()


def test_a_missing_host_key_setting_is_a_permanent_error(sftp_server: Endpoint) -> None:
    with pytest.raises(PermanentClearinghouseError, match="host key is not set"):
        SftpBatchClearinghouse(sftp_server.settings(known_host_key="")).send([check(1)])


def test_a_wrong_key_is_refused_as_permanent(sftp_server: Endpoint, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncssh

    stranger = tmp_path / "stranger"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(str(stranger))
    with pytest.raises(PermanentClearinghouseError, match="refused the login"):
        SftpBatchClearinghouse(sftp_server.settings(key_path=str(stranger))).send([check(1)])


def test_an_unreachable_server_is_transient(sftp_server: Endpoint) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connection refused
        with pytest.raises(TransientClearinghouseError, match="unreachable"):
            SftpBatchClearinghouse(sftp_server.settings(port=port, timeout_seconds=2.0)).send([check(1)])


def test_settings_never_show_the_passphrase(sftp_server: Endpoint) -> None:
    settings = sftp_server.settings(key_passphrase="hunter2-secret")
    assert "hunter2" not in repr(settings)


@pytest.mark.django_db
def test_the_practice_connection_builds_the_adapter_with_the_passphrase_from_the_environment(
    sftp_server: Endpoint,
) -> None:
    from core.errors import ValidationFailed
    from practice.models import SftpConnection
    from practice.sftp import sftp_adapter_for, sftp_settings_for
    from tests.factories import PracticeFactory

    practice = PracticeFactory()
    assert sftp_adapter_for(practice_id=practice.pk) is None
    SftpConnection.objects.create(
        practice=practice,
        host=sftp_server.host,
        port=sftp_server.port,
        username=sftp_server.username,
        key_path=sftp_server.key_path,
        known_host_key=sftp_server.host_key_line,
        passphrase_env="PARITY_TEST_SFTP_PASSPHRASE",
    )
    with pytest.raises(ValidationFailed, match="PARITY_TEST_SFTP_PASSPHRASE"):
        sftp_settings_for(practice_id=practice.pk, environ={})
    settings = sftp_settings_for(practice_id=practice.pk, environ={"PARITY_TEST_SFTP_PASSPHRASE": "unused"})
    assert settings is not None
    assert settings.key_passphrase == "unused"
    adapter = sftp_adapter_for(practice_id=practice.pk, environ={"PARITY_TEST_SFTP_PASSPHRASE": ""})
    assert adapter is not None
    assert [s.name for s in adapter.send([check(9)])] == ["270_000000009.x12"]


def test_a_rejection_before_the_subscriber_level_is_matched_by_bht03(sftp_server: Endpoint) -> None:
    # the sandbox payer answers SBX1009 with AAA 42 at the payer level: no TRN, BHT03 = trace
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    unavailable = check(7, member_id="SBX1009")
    answer(sftp_server, "271_other.x12", check(8, member_id="SBX1009"))  # another inquiry's, same shape
    with pytest.raises(TransientClearinghouseError):
        adapter.check_eligibility(unavailable)
    answer(sftp_server, "271_mine.x12", unavailable)
    result = adapter.check_eligibility(unavailable)
    assert result.payer_unavailable
    assert result.errors == ["42"]


def test_one_collector_at_a_time(sftp_server: Endpoint) -> None:
    import os
    import time

    answer(sftp_server, "271_a.x12", check(1))
    lock = sftp_server.write("archive/.collect.lock", "held\n")
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    calls: list[str] = []
    report = adapter.collect(lambda f: calls.append(f.name))
    assert (report.busy, calls) == (True, [])
    assert (sftp_server.root / "inbox" / "271_a.x12").exists()
    old = time.time() - 3600  # a lock an hour old was left by a dead collector
    os.utime(lock, (old, old))
    report = adapter.collect(lambda f: calls.append(f.name))
    assert (report.busy, report.processed, calls) == (False, ["271_a.x12"], ["271_a.x12"])
    assert not lock.exists()  # released
