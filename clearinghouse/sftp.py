"""The SFTP batch clearinghouse: 270s go up as files, 271s come back as files.

Many clearinghouses take eligibility inquiries in batch over SFTP: the practice drops 270 files
into an outbox folder on the clearinghouse's server; some minutes later the 271 answers appear
in an inbox folder. This adapter does both halves with paramiko, and never trusts an unknown host
key (the practice's settings carry the server's key; `RejectPolicy` refuses anything else).

Files and their life:

- **Sending** (`send`): one file per inquiry, named after its interchange control number
  (`270_000000123.x12`). It is written as `.name.part` and renamed into place (the clearinghouse
  never sees half a file), then a copy goes to `archive/sent/`. Sending is idempotent: a name
  already in the outbox or in `archive/sent/` is not sent again, so a retried task does not send
  the same inquiry twice.
- **Collecting** (`collect`): the batch pick-up, and the only code that moves inbox files. For each
  inbox file (oldest name first): download, parse every 271 transaction in it, hand the file to
  the caller's `handle(file)` (which stores the answers, idempotently keyed by trace number), and
  only then rename it to `archive/`. A handler that raises leaves the file in the inbox for the
  next run (never lost); a file already in the archive with the same content is moved to
  `archive/duplicates/` without calling the handler (never processed twice); a file that cannot
  be parsed goes to `rejected/` with the reason in the report (kept as evidence, never retried).
  One collector at a time: `archive/.collect.lock`, made with an exclusive create (a lock older
  than `lock_stale_seconds` was left by a dead process and is taken over).
- **One inquiry** (`check_eligibility`, the `EligibilityAdapter` protocol): sends the 270 (if not
  already sent) and looks for a 271 answering its trace number in the inbox and the archive,
  without moving anything. No answer yet is `AnswerPending` (a transient error), so the
  workflow's backoff polls again. `answers_later` tells the workflow to give each retry the
  first attempt's control number: the file name is the same, so the retry does not resend,
  unless the first upload never reached the outbox or `archive/sent` (decision 0042).

Matching is by the 270's trace number: TRN02 echoed in the 271, or BHT03 when the payer rejected
before the subscriber level (no TRN; `parse_271(expected_trace=...)` decides).

Claims (the `ClaimsAdapter` protocol) use the same folders:

- **Submitting** (`submit_claims`): the 837 is uploaded as `outbox/.NAME.part`, then its copy is
  written to `archive/sent/NAME` (the record that it is being sent), then the part is renamed to
  `outbox/NAME`. A retry finds the copy in `archive/sent/`: with the part still there it only
  finishes the rename; without it the file was published (and perhaps already taken by the
  clearinghouse), so nothing is sent again and the first receipt comes back. A file is never
  published twice, and never marked sent without being published.
- **Collecting** (`collect_responses`): every finished inbox file that is a 999, 277 or 835
  (oldest name first), without moving it; `archive(name)` moves it to `archive/` once the caller
  stored it (a name already archived with other content is kept as `name.1`, the same content
  goes to `archive/duplicates/`). A file that is not X12 at all goes to `rejected/` with a
  `NAME.reason.txt` beside it (pitfall K8: never silently skipped). 271s are left to `collect`,
  and `collect` leaves the claims' files alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import posixpath
import re
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import paramiko

from clearinghouse.interface import (
    EligibilityCheck,
    EligibilityResult,
    InboundDocument,
    PermanentClearinghouseError,
    SubmissionReceipt,
    TransientClearinghouseError,
    document_kind,
)
from edi.errors import X12Error
from edi.x270 import build_270
from edi.x271 import Response271, parse_271

SFTP_NAME = "SFTP batch clearinghouse"


class AnswerPending(TransientClearinghouseError):
    """The 270 is with the clearinghouse (sent now or by an earlier attempt); its 271 has not
    come yet. `request_x12` is the 270 as it went up."""


COLLECT_LOCK = ".collect.lock"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True, slots=True)
class SftpSettings:
    """Where and how to connect. `known_host_key` is the server's public key as one OpenSSH line
    ("ssh-ed25519 AAAA..."): public, so it may live in the database; the private key stays in a
    file (`key_path`) and its passphrase, if any, comes from the environment, never the database."""

    host: str
    port: int
    username: str
    key_path: str
    known_host_key: str
    key_passphrase: str | None = None
    outbox: str = "outbox"
    inbox: str = "inbox"
    archive: str = "archive"
    rejected: str = "rejected"
    timeout_seconds: float = 15.0
    lock_stale_seconds: int = 900  # a collector lock older than this was left by a dead process

    def __repr__(self) -> str:  # never print the passphrase
        return f"SftpSettings(host={self.host!r}, port={self.port}, username={self.username!r})"


@dataclass(frozen=True, slots=True)
class SentFile:
    name: str
    trace_number: str
    already_sent: bool  # found in the outbox or archive/sent: not uploaded again


@dataclass(frozen=True, slots=True)
class InboxFile:
    """A 271 file from the inbox, parsed. `answers` maps each trace number to its 271 entries."""

    name: str
    text: str
    response: Response271
    sha256: str

    @property
    def trace_numbers(self) -> list[str]:
        return sorted({trace for entry in self.response.transactions for trace in entry.trace_numbers})


@dataclass(slots=True)
class CollectReport:
    processed: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # handler raised: left in the inbox
    busy: bool = False  # another collector holds the lock: nothing done


def file_name_270(interchange_control_number: int) -> str:
    return f"270_{interchange_control_number:09d}.x12"


def _host_key(line: str) -> paramiko.PKey:
    parts = line.split()
    if len(parts) < 2:
        raise PermanentClearinghouseError("The SFTP server's host key is not set (expected 'type base64').")
    try:
        return paramiko.PKey.from_type_string(parts[0], base64.b64decode(parts[1], validate=True))
    except (ValueError, binascii.Error, paramiko.SSHException) as error:
        raise PermanentClearinghouseError(f"The SFTP server's host key cannot be read: {error}") from error


def host_key_problem(line: str) -> str:
    """Why `line` is not a usable pinned host key ("" when it is)."""
    try:
        _host_key(line)
    except PermanentClearinghouseError as error:
        return str(error)
    return ""


def private_key_problem(text: str, passphrase: str | None) -> str:
    """Why `text` (an OpenSSH or PEM private key) cannot be used with `passphrase` ("" when it
    can). Nothing of the key is ever put in the message."""
    errors: list[str] = []
    for kind in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            kind.from_private_key(io.StringIO(text), password=passphrase or None)
        except paramiko.PasswordRequiredException:
            return "The private key is encrypted: give its passphrase."
        except (paramiko.SSHException, ValueError, TypeError, IndexError) as error:
            errors.append(type(error).__name__)
            continue
        return ""
    return "The private key cannot be read (not an OpenSSH or PEM private key, or the wrong passphrase)."


class SftpBatchClearinghouse:
    name = "sftp"
    is_sandbox = False
    # Answers come later, as files: the workflow gives every retry of a check the envelope of
    # its first attempt, so the retry finds that upload's answer instead of sending again.
    answers_later = True

    def __init__(self, settings: SftpSettings) -> None:
        self.settings = settings

    # -- connection ------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[paramiko.SFTPClient]:
        s = self.settings
        client = paramiko.SSHClient()
        key = _host_key(s.known_host_key)
        host_name = s.host if s.port == 22 else f"[{s.host}]:{s.port}"
        client.get_host_keys().add(host_name, key.get_name(), key)
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            client.connect(
                s.host,
                port=s.port,
                username=s.username,
                key_filename=s.key_path,
                passphrase=s.key_passphrase,
                look_for_keys=False,
                allow_agent=False,
                timeout=s.timeout_seconds,
                banner_timeout=s.timeout_seconds,
                auth_timeout=s.timeout_seconds,
            )
        except paramiko.BadHostKeyException as error:
            client.close()
            raise PermanentClearinghouseError(
                "The SFTP server's host key does not match the one in the settings; not connecting."
            ) from error
        except paramiko.AuthenticationException as error:
            client.close()
            raise PermanentClearinghouseError(f"The SFTP server refused the login: {error}") from error
        except paramiko.SSHException as error:
            client.close()
            if "not found in known_hosts" in str(error) or "Server " in str(error):
                raise PermanentClearinghouseError(
                    f"The SFTP server's host key is not the known one: {error}"
                ) from error
            raise TransientClearinghouseError(f"SFTP connection failed: {error}") from error
        except OSError as error:
            client.close()
            raise TransientClearinghouseError(f"SFTP server unreachable: {error}") from error
        try:
            sftp = client.open_sftp()
            try:
                yield sftp
            finally:
                sftp.close()
        except OSError as error:
            raise TransientClearinghouseError(f"SFTP transfer failed: {error}") from error
        finally:
            client.close()

    # -- sending ---------------------------------------------------------------------------

    def send(self, checks: Sequence[EligibilityCheck]) -> list[SentFile]:
        """Upload one 270 per check in one session; names already sent are skipped."""
        s = self.settings
        sent_dir = posixpath.join(s.archive, "sent")
        out: list[SentFile] = []
        with self.session() as sftp:
            _makedirs(sftp, s.outbox)
            _makedirs(sftp, sent_dir)
            for check in checks:
                name = file_name_270(check.envelope.interchange_control_number)
                trace = check.request.trace_number
                if _exists(sftp, posixpath.join(s.outbox, name)) or _exists(
                    sftp, posixpath.join(sent_dir, name)
                ):
                    out.append(SentFile(name, trace, already_sent=True))
                    continue
                data = build_270(check.request, check.envelope).encode("ascii")
                _publish(sftp, s.outbox, name, data)
                _publish(sftp, sent_dir, name, data)
                out.append(SentFile(name, trace, already_sent=False))
        return out

    # -- collecting ------------------------------------------------------------------------

    def collect(self, handle: Callable[[InboxFile], None]) -> CollectReport:
        """Pick up every 271 file in the inbox (see the module docstring for the file's life).
        One collector at a time: a lock file in the archive folder, taken with an exclusive create;
        while another holds it (and it is not stale) this returns at once with `busy` set."""
        s = self.settings
        report = CollectReport()
        duplicates_dir = posixpath.join(s.archive, "duplicates")
        with self.session() as sftp:
            for directory in (s.inbox, s.archive, s.rejected, duplicates_dir):
                _makedirs(sftp, directory)
            lock = posixpath.join(s.archive, COLLECT_LOCK)
            if not _take_lock(sftp, lock, stale_after=s.lock_stale_seconds):
                report.busy = True
                return report
            try:
                self._collect(sftp, handle, report, duplicates_dir)
            finally:
                sftp.remove(lock)
        return report

    def _collect(
        self,
        sftp: paramiko.SFTPClient,
        handle: Callable[[InboxFile], None],
        report: CollectReport,
        duplicates_dir: str,
    ) -> None:
        s = self.settings
        for name in _files(sftp, s.inbox):
            path = posixpath.join(s.inbox, name)
            data = _read(sftp, path)
            digest = hashlib.sha256(data).hexdigest()
            archived = posixpath.join(s.archive, name)
            if _exists(sftp, archived):
                if hashlib.sha256(_read(sftp, archived)).hexdigest() == digest:
                    _move(sftp, path, duplicates_dir, name)
                    report.duplicates.append(name)
                    continue
                name_in_archive = _free_name(sftp, s.archive, name)
            else:
                name_in_archive = name
            try:
                text = data.decode("ascii")
                if document_kind(text) is not None:
                    continue  # a claims response (999, 277CA, 835): collect_responses() owns it
                response = parse_271(text)
            except (UnicodeDecodeError, X12Error) as error:
                _move(sftp, path, s.rejected, name)
                report.rejected.append((name, str(error)))
                continue
            try:
                handle(InboxFile(name=name, text=text, response=response, sha256=digest))
            except Exception as error:  # noqa: BLE001 (any handler failure: keep the file)
                report.failed.append((name, f"{type(error).__name__}: {error}"))
                continue
            _move(sftp, path, s.archive, name_in_archive)
            report.processed.append(name)

    # -- the ClaimsAdapter protocol ----------------------------------------------------------

    def submit_claims(self, file_name: str, x12: str) -> SubmissionReceipt:
        """Publish one 837 file to the outbox, exactly once (see the module docstring)."""
        if not _SAFE_NAME.fullmatch(file_name):
            raise PermanentClearinghouseError(f"{file_name!r} is not a file name the clearinghouse takes.")
        try:
            data = x12.encode("ascii")
        except UnicodeEncodeError as error:
            raise PermanentClearinghouseError("An X12 file is ASCII text.", request_x12=x12) from error
        s = self.settings
        sent_dir = posixpath.join(s.archive, "sent")
        partial = posixpath.join(s.outbox, f".{file_name}.part")
        target = posixpath.join(s.outbox, file_name)
        record = posixpath.join(sent_dir, file_name)
        with self.session() as sftp:
            _makedirs(sftp, s.outbox)
            _makedirs(sftp, sent_dir)
            if _exists(sftp, record):
                stored = _read(sftp, record)
                if _exists(sftp, partial):  # cut short between the record and the rename
                    sftp.posix_rename(partial, target)
                    return self._receipt(sftp, file_name, stored, record, already=False)
                return self._receipt(sftp, file_name, stored, record, already=True)
            sftp.putfo(io.BytesIO(data), partial)
            _publish(sftp, sent_dir, file_name, data)
            sftp.posix_rename(partial, target)
            return self._receipt(sftp, file_name, data, record, already=False)

    @staticmethod
    def _receipt(
        sftp: paramiko.SFTPClient, file_name: str, data: bytes, record: str, *, already: bool
    ) -> SubmissionReceipt:
        mtime = sftp.stat(record).st_mtime or 0
        return SubmissionReceipt(
            file_name=file_name,
            submission_id=file_name,
            sha256=hashlib.sha256(data).hexdigest(),
            received_at=datetime.fromtimestamp(mtime, tz=UTC),
            already_submitted=already,
        )

    def collect_responses(self) -> list[InboundDocument]:
        """Every 999, 277CA and 835 in the inbox, oldest name first; nothing is moved except
        files that are not X12 at all (to `rejected/`, with the reason beside them)."""
        s = self.settings
        documents: list[InboundDocument] = []
        with self.session() as sftp:
            _makedirs(sftp, s.inbox)
            for name in _files(sftp, s.inbox):
                path = posixpath.join(s.inbox, name)
                data = _read(sftp, path)
                try:
                    text = data.decode("ascii")
                    kind = document_kind(text)
                except (UnicodeDecodeError, X12Error) as error:
                    _makedirs(sftp, s.rejected)
                    _move(sftp, path, s.rejected, name)
                    sftp.putfo(
                        io.BytesIO(f"{error}\n".encode()), posixpath.join(s.rejected, f"{name}.reason.txt")
                    )
                    continue
                if kind is not None:
                    documents.append(InboundDocument(kind=kind, name=name, text=text))
        return documents

    def archive(self, name: str) -> None:
        """Move a handled inbox file to `archive/` (the same content already there: to
        `archive/duplicates/`). Archiving a file already archived is harmless."""
        s = self.settings
        duplicates_dir = posixpath.join(s.archive, "duplicates")
        with self.session() as sftp:
            _makedirs(sftp, s.archive)
            path = posixpath.join(s.inbox, name)
            archived = posixpath.join(s.archive, name)
            if not _exists(sftp, path):
                if _exists(sftp, archived):
                    return
                raise PermanentClearinghouseError(f"No file {name!r} in the SFTP inbox.")
            if _exists(sftp, archived):
                if _read(sftp, archived) == _read(sftp, path):
                    _makedirs(sftp, duplicates_dir)
                    _move(sftp, path, duplicates_dir, name)
                    return
                _move(sftp, path, s.archive, _free_name(sftp, s.archive, name))
                return
            sftp.posix_rename(path, archived)

    # -- the EligibilityAdapter protocol ---------------------------------------------------

    def check_eligibility(self, check: EligibilityCheck) -> EligibilityResult:
        """Send the 270 unless a file of its control number went up before (a retry passes the
        first attempt's envelope: the inquiry is uploaded once), then look for its 271. No answer
        yet: `AnswerPending`, carrying the 270 as it was sent."""
        trace = check.request.trace_number
        s = self.settings
        with self.session() as sftp:
            request_x12 = self._send_one(sftp, check)
            for directory in (s.inbox, s.archive):
                for name in _files(sftp, directory):
                    found = _answer_in(_read(sftp, posixpath.join(directory, name)), trace)
                    if found is not None:
                        text, mine = found
                        return EligibilityResult(request_x12=request_x12, response_x12=text, response=mine)
        raise AnswerPending(
            f"270 sent (control number {check.envelope.interchange_control_number}); "
            f"no 271 for trace number {trace} in the SFTP inbox yet, looking again later.",
            request_x12=request_x12,
        )

    def _send_one(self, sftp: paramiko.SFTPClient, check: EligibilityCheck) -> str:
        """Upload the check's 270 unless its file is in the outbox or `archive/sent` (the text
        of the file there is returned: the 270 as it went up the first time)."""
        s = self.settings
        sent_dir = posixpath.join(s.archive, "sent")
        _makedirs(sftp, s.outbox)
        _makedirs(sftp, sent_dir)
        name = file_name_270(check.envelope.interchange_control_number)
        for directory in (sent_dir, s.outbox):
            path = posixpath.join(directory, name)
            if _exists(sftp, path):
                return _read(sftp, path).decode("ascii")
        text = build_270(check.request, check.envelope)
        _publish(sftp, s.outbox, name, text.encode("ascii"))
        _publish(sftp, sent_dir, name, text.encode("ascii"))
        return text


def _answer_in(data: bytes, trace: str) -> tuple[str, Response271] | None:
    """The entries of a 271 file that answer `trace`: by TRN02, or (a rejection before the
    subscriber level, which carries no TRN) by BHT03 when the file holds that one answer."""
    try:
        text = data.decode("ascii")
        response = parse_271(text)
    except (UnicodeDecodeError, X12Error):
        return None  # collect() rejects it with its reason; it answers nobody
    mine = [entry for entry in response.transactions if trace in entry.trace_numbers]
    if mine:
        return text, Response271(transactions=mine)
    if any(entry.trace_numbers for entry in response.transactions):
        return None
    try:
        return text, parse_271(text, expected_trace=trace)
    except X12Error:
        return None


# -- SFTP helpers ------------------------------------------------------------------------------


def _take_lock(sftp: paramiko.SFTPClient, path: str, *, stale_after: int) -> bool:
    for _ in range(2):
        try:
            with sftp.open(path, "wx") as handle:  # exclusive create: fails when it exists
                handle.write(f"{time.time():.0f}\n".encode())
            return True
        except OSError:
            try:
                age = time.time() - (sftp.stat(path).st_mtime or 0)
            except FileNotFoundError:
                continue  # released meanwhile: try again
            if age < stale_after:
                return False
            sftp.remove(path)  # left by a dead collector
    return False


def _exists(sftp: paramiko.SFTPClient, path: str) -> bool:
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return False
    return True


def _makedirs(sftp: paramiko.SFTPClient, path: str) -> None:
    current = ""
    for part in path.strip("/").split("/"):
        current = posixpath.join(current, part) if current else part
        if not _exists(sftp, current):
            try:
                sftp.mkdir(current)
            except OSError:
                if not _exists(sftp, current):  # another session made it meanwhile: fine
                    raise


def _files(sftp: paramiko.SFTPClient, directory: str) -> list[str]:
    """Finished files only (no dot files, no `.part` uploads in progress), oldest name first."""
    try:
        entries = sftp.listdir_attr(directory)
    except FileNotFoundError:
        return []
    return sorted(
        e.filename
        for e in entries
        if e.st_mode is not None
        and stat.S_ISREG(e.st_mode)
        and not e.filename.startswith(".")
        and not e.filename.endswith(".part")
    )


def _read(sftp: paramiko.SFTPClient, path: str) -> bytes:
    buffer = io.BytesIO()
    sftp.getfo(path, buffer)
    return buffer.getvalue()


def _publish(sftp: paramiko.SFTPClient, directory: str, name: str, data: bytes) -> None:
    partial = posixpath.join(directory, f".{name}.part")
    sftp.putfo(io.BytesIO(data), partial)
    sftp.posix_rename(partial, posixpath.join(directory, name))


def _free_name(sftp: paramiko.SFTPClient, directory: str, name: str) -> str:
    n = 1
    while _exists(sftp, posixpath.join(directory, f"{name}.{n}")):
        n += 1
    return f"{name}.{n}"


def _move(sftp: paramiko.SFTPClient, path: str, directory: str, name: str) -> None:
    target = posixpath.join(directory, name)
    if _exists(sftp, target):
        target = posixpath.join(directory, _free_name(sftp, directory, name))
    sftp.posix_rename(path, target)
