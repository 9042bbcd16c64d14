"""clearinghouse.sftp for claims (the ClaimsAdapter protocol) against a real SFTP server on loopback
(asyncssh in-process; OpenSSH as root). The clearinghouse's side is played on the server's disk,
answering with the sandbox's documents (clearinghouse.sandbox_claims.answer_837)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clearinghouse.interface import (
    ClaimsAdapter,
    InboundDocument,
    PermanentClearinghouseError,
    collect_and_archive,
)
from clearinghouse.sandbox import respond_271
from clearinghouse.sandbox_claims import answer_837
from clearinghouse.sftp import SftpBatchClearinghouse
from edi.x270 import build_270
from edi.x837p import build_837p
from edi.x999 import read_999
from tests.clearinghouse.sftp_servers import Endpoint
from tests.clearinghouse.test_sftp import check
from tests.edi.samples837 import SUBSCRIBER, batch, claim, envelope

NAME = "837_000000017.x12"


def x837(member_id: str = "SBCPAID1") -> str:
    return build_837p(batch(claim(subscriber=replace(SUBSCRIBER, member_id=member_id))), envelope())


def answer(ep: Endpoint, text: str) -> list[str]:
    """The clearinghouse drops every stage of its answer to `text` into the inbox."""
    names = []
    for stage in answer_837(text, "CH000001", 1):
        for document in stage:
            ep.write(f"inbox/{document.name}", document.text)
            names.append(document.name)
    return names


def names(ep: Endpoint, folder: str) -> list[str]:
    path = ep.root / folder
    return (
        sorted(p.name for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if path.exists()
        else []
    )


def test_the_adapter_meets_the_claims_protocol(sftp_server: Endpoint) -> None:
    assert isinstance(SftpBatchClearinghouse(sftp_server.settings()), ClaimsAdapter)


def test_submit_publishes_the_whole_file_once_and_keeps_a_copy(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    text = x837()
    receipt = adapter.submit_claims(NAME, text)
    assert (receipt.file_name, receipt.already_submitted) == (NAME, False)
    assert names(sftp_server, "outbox") == [NAME]
    assert (sftp_server.root / "outbox" / NAME).read_text() == text
    assert (sftp_server.root / "archive" / "sent" / NAME).read_text() == text
    (sftp_server.root / "outbox" / NAME).unlink()  # the clearinghouse took it
    again = adapter.submit_claims(NAME, text)
    assert again.already_submitted
    assert again.sha256 == receipt.sha256
    assert names(sftp_server, "outbox") == []  # never published twice


def test_a_submit_cut_short_before_the_rename_is_finished_not_repeated(sftp_server: Endpoint) -> None:
    text = x837()
    sftp_server.write(f"outbox/.{NAME}.part", text)  # uploaded, recorded, not yet renamed
    sftp_server.write(f"archive/sent/{NAME}", text)
    receipt = SftpBatchClearinghouse(sftp_server.settings()).submit_claims(NAME, text)
    assert not receipt.already_submitted
    assert sorted(p.name for p in (sftp_server.root / "outbox").iterdir()) == [NAME]


def test_a_submit_cut_short_before_the_record_uploads_again(sftp_server: Endpoint) -> None:
    text = x837()
    sftp_server.write(f"outbox/.{NAME}.part", "ISA*half")  # the clearinghouse never takes a part
    receipt = SftpBatchClearinghouse(sftp_server.settings()).submit_claims(NAME, text)
    assert not receipt.already_submitted
    assert sorted(p.name for p in (sftp_server.root / "outbox").iterdir()) == [NAME]
    assert (sftp_server.root / "outbox" / NAME).read_text() == text


def test_a_file_name_with_a_path_is_refused(sftp_server: Endpoint) -> None:
    with pytest.raises(PermanentClearinghouseError):
        SftpBatchClearinghouse(sftp_server.settings()).submit_claims("../etc/837.x12", x837())


def test_collect_hands_over_the_claims_responses_without_moving_them(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    answered = answer(sftp_server, x837())
    sftp_server.write("inbox/.half.835.part", "ISA*half")  # still uploading
    sftp_server.write("inbox/271_a.x12", respond_271(build_270(check(1).request, check(1).envelope)))
    documents = adapter.collect_responses()
    assert [(d.kind, d.name) for d in documents] == [
        ("999", "CH000001.1.999.x12"),
        ("277CA", "CH000001.2.277CA.x12"),
        ("277CA", "CH000001.3.277CA.x12"),
        ("835", "CH000001.4.835.x12"),
    ]
    assert read_999(documents[0].text)[0].group_status == "A"
    assert names(sftp_server, "inbox") == sorted([*answered, "271_a.x12"])  # looking moves nothing
    assert adapter.collect_responses() == documents


def test_archive_after_handling_and_a_failed_handler_keeps_the_file(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    answer(sftp_server, x837())

    def handle(document: InboundDocument) -> None:
        if document.kind == "835":
            raise RuntimeError("posting failed")

    outcome = collect_and_archive(adapter, handle)
    assert outcome.failed == [("CH000001.4.835.x12", "RuntimeError: posting failed")]
    assert names(sftp_server, "inbox") == ["CH000001.4.835.x12"]
    assert names(sftp_server, "archive") == [
        "CH000001.1.999.x12",
        "CH000001.2.277CA.x12",
        "CH000001.3.277CA.x12",
    ]
    adapter.archive("CH000001.1.999.x12")  # again: harmless
    with pytest.raises(PermanentClearinghouseError):
        adapter.archive("nothing.x12")
    assert collect_and_archive(adapter, lambda d: None).archived == ["CH000001.4.835.x12"]
    assert names(sftp_server, "inbox") == []


def test_a_document_delivered_twice_goes_to_duplicates(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    text = x837()
    answer(sftp_server, text)
    collect_and_archive(adapter, lambda d: None)
    answer(sftp_server, text)  # the clearinghouse resends everything
    documents = adapter.collect_responses()
    assert len(documents) == 4  # handed over again: the caller dedupes by sha256
    for document in documents:
        adapter.archive(document.name)
    assert names(sftp_server, "archive/duplicates") == [d.name for d in documents]


def test_a_file_that_is_not_x12_is_quarantined_with_its_reason(sftp_server: Endpoint) -> None:  # K8
    sftp_server.write("inbox/999_bad.x12", "this is not X12")
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    assert adapter.collect_responses() == []
    assert names(sftp_server, "rejected") == ["999_bad.x12", "999_bad.x12.reason.txt"]
    assert "ISA" in (sftp_server.root / "rejected" / "999_bad.x12.reason.txt").read_text()


def test_the_eligibility_collector_leaves_the_claims_files_alone(sftp_server: Endpoint) -> None:
    adapter = SftpBatchClearinghouse(sftp_server.settings())
    answered = answer(sftp_server, x837())
    sftp_server.write("inbox/271_a.x12", respond_271(build_270(check(1).request, check(1).envelope)))
    report = adapter.collect(lambda f: None)
    assert report.processed == ["271_a.x12"]
    assert (report.rejected, report.failed) == ([], [])
    assert names(sftp_server, "inbox") == sorted(answered)
