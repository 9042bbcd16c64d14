"""Real SFTP servers on loopback for the SFTP adapter's tests.

- asyncssh's in-process server (always): listens on port 0, chrooted to a temp folder, accepts one
  user with one ed25519 key. Runs its own event loop in a daemon thread so paramiko (sync) can talk
  to it from the test body.
- OpenSSH's sshd (only as root with /usr/sbin/sshd installed, e.g. in CI): a private daemon on a
  free port with `internal-sftp`; skipped elsewhere.

Both yield an `Endpoint` whose `settings()` builds the adapter's `SftpSettings`.
After /work/shared/TOOLCHAIN-sftp-and-load.md (checked by hand on this machine kind).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import pathlib
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from clearinghouse.sftp import SftpSettings

SSHD = "/usr/sbin/sshd"
SFTP_USER = "sftptest"


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    username: str
    key_path: str
    host_key_line: str  # "ssh-ed25519 AAAA..."
    root: pathlib.Path  # the server's "/" on disk
    kind: str

    def write(self, relative: str, text: str) -> pathlib.Path:
        """Play the clearinghouse: put a file on the server (owned by the SFTP user under sshd)."""
        path = self.root / relative
        for parent in reversed([p for p in path.relative_to(self.root).parents if str(p) != "."]):
            folder = self.root / parent
            if not folder.exists():
                folder.mkdir()
                self._own(folder)
        path.write_text(text)
        self._own(path)
        return path

    def _own(self, path: pathlib.Path) -> None:
        if self.kind == "openssh":
            shutil.chown(path, SFTP_USER, SFTP_USER)

    def settings(self, **changes: object) -> SftpSettings:
        values: dict[str, object] = {
            "host": self.host,
            "port": self.port,
            "username": self.username,
            "key_path": self.key_path,
            "known_host_key": self.host_key_line,
            "timeout_seconds": 10.0,
        }
        values.update(changes)
        return SftpSettings(**values)  # type: ignore[arg-type]


@contextlib.contextmanager
def asyncssh_sftp(base: pathlib.Path, username: str = "clearinghouse") -> Iterator[Endpoint]:
    import asyncssh

    root = base / "root"
    root.mkdir(parents=True, exist_ok=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    key_path = base / "client_ed25519"
    client_key.write_private_key(str(key_path))
    key_path.chmod(0o600)
    authorized = asyncssh.import_authorized_keys(client_key.export_public_key().decode())

    class _Server(asyncssh.SSHServer):
        def connection_made(self, conn):  # type: ignore[no-untyped-def]
            self._conn = conn

        def begin_auth(self, user):  # type: ignore[no-untyped-def]
            if user == username:
                self._conn.set_authorized_keys(authorized)
            return True

    def sftp_factory(chan):  # type: ignore[no-untyped-def]
        return asyncssh.SFTPServer(chan, chroot=os.fsencode(root))  # not True: that serves the cwd

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="asyncssh-sftp", daemon=True)
    thread.start()

    def run(coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, loop).result(10)

    async def start():  # type: ignore[no-untyped-def]
        return await asyncssh.listen(
            "127.0.0.1",
            0,
            server_factory=_Server,
            server_host_keys=[host_key],
            sftp_factory=sftp_factory,
            allow_scp=False,
            login_timeout=10,
        )

    acceptor = run(start())

    async def stop() -> None:
        acceptor.close()
        await acceptor.wait_closed()

    try:
        line = " ".join(host_key.export_public_key().decode().split()[:2])
        yield Endpoint("127.0.0.1", acceptor.get_port(), username, str(key_path), line, root, "asyncssh")
    finally:
        run(stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def _ensure_user() -> None:
    try:
        pwd.getpwnam(SFTP_USER)
    except KeyError:
        rc = subprocess.run(
            ["/usr/sbin/useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", SFTP_USER], check=False
        ).returncode  # fmt: skip
        if rc not in (0, 9):
            raise RuntimeError(f"useradd {SFTP_USER} failed rc={rc}") from None
    subprocess.run(["/usr/sbin/usermod", "-p", "*", SFTP_USER], check=True)  # "!" = locked: sshd refuses keys


def _die_with_parent() -> None:
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_banner(port: int, proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(4).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"sshd not ready (rc={proc.poll()})")


@contextlib.contextmanager
def openssh_sftp() -> Iterator[Endpoint]:
    _ensure_user()
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    base = pathlib.Path(tempfile.mkdtemp(prefix="sshd-sftp-"))
    base.chmod(0o755)  # the sftp user must be able to enter it
    root = base / "root"
    root.mkdir()
    shutil.chown(root, SFTP_USER, SFTP_USER)
    for name in ("host_ed25519", "client_ed25519"):
        subprocess.run(
            ["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(base / name)], check=True
        )
    shutil.copy(base / "client_ed25519.pub", base / "authorized_keys")
    log = open(base / "sshd.log", "wb")  # noqa: SIM115
    proc: subprocess.Popen[bytes] | None = None
    try:
        for _ in range(3):
            port = _free_port()
            cfg = base / "sshd_config"
            cfg.write_text(
                f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {base}/host_ed25519\nPidFile none\n"
                f"AuthorizedKeysFile {base}/authorized_keys\nStrictModes no\nPubkeyAuthentication yes\n"
                "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n"
                f"AllowUsers {SFTP_USER}\nUsePAM no\nSubsystem sftp internal-sftp\n"
                f"ForceCommand internal-sftp -d {root}\nAllowTcpForwarding no\nX11Forwarding no\n"
                "PermitTTY no\nMaxStartups 200\nLogLevel VERBOSE\n"
            )
            subprocess.run([SSHD, "-t", "-f", str(cfg)], check=True)
            proc = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,  # noqa: PLW1509
            )  # fmt: skip
            try:
                _wait_for_banner(port, proc)
                break
            except RuntimeError:
                proc.kill()
                proc.wait()
        else:
            raise RuntimeError("sshd did not start:\n" + (base / "sshd.log").read_text())
        line = " ".join((base / "host_ed25519.pub").read_text().split()[:2])
        # internal-sftp -d starts in root, but paths we use are relative: the adapter's folders
        # land under root either way.
        yield Endpoint("127.0.0.1", port, SFTP_USER, str(base / "client_ed25519"), line, root, "openssh")
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        shutil.rmtree(base, ignore_errors=True)
