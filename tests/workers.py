"""Real background-processing pieces for tests: a private Redis server, `celery worker` processes
killed as a whole process group, and sending this process's tasks to them.

A private redis-server (on a free port) lets a test stop the broker without touching anyone
else's Redis, and a private queue keeps other workers away. Workers read the test database.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.db import connection

from billing.celery import app

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A private redis-server (no persistence): stopping it is a broker outage."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Worker:
    """`celery worker` in its own process group, pointed at the test database and the private Redis."""

    def __init__(
        self, *, redis_url: str, queue: str, pool: str, log: Path, env: dict[str, str] | None = None
    ) -> None:
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "billing.settings.test",
            **(env or {}),
        }
        if pool == "solo":
            pool_args = ["-P", "solo"]
        elif pool.startswith("threads:"):  # I/O-bound work (eligibility): "threads:50"
            pool_args = ["-P", "threads", "-c", pool.partition(":")[2]]
        else:
            pool_args = ["-P", "prefork", "-c", "2"]
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "billing",
                "worker",
                *pool_args,
                "-Q",
                queue,
                "-l",
                "WARNING",
            ]
            + ["--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crash would."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@contextmanager
def sending_to(broker_url: str, queue: str) -> Iterator[None]:
    """This process's Celery app sends to `broker_url`/`queue` instead of running tasks eagerly."""
    conf = app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.task_default_queue)
    conf.broker_url, conf.task_always_eager, conf.task_default_queue = broker_url, False, queue
    app._pool = None  # connection and producer pools are cached per URL
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.task_default_queue = saved
        app._pool = None
        app.amqp._producer_pool = None


@contextmanager
def real_worker(log_dir: Path, *, pool: str = "solo", env: dict[str, str] | None = None) -> Iterator[Worker]:
    """A private Redis, this process (and its live server thread) sending to it, and one worker."""
    redis = RedisServer()
    redis.start()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    try:
        with sending_to(redis.url, queue):
            worker = Worker(redis_url=redis.url, queue=queue, pool=pool, log=log_dir / "worker.log", env=env)
            try:
                yield worker
            finally:
                worker.kill()
    finally:
        redis.stop()


def jobs_done() -> int:
    from core.models import BackgroundJob

    return BackgroundJob.objects.filter(status=BackgroundJob.Status.DONE).count()


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, poll: float = 0.25) -> None:
    """Poll `condition`, running the relay as beat would (lost work is sent again after its lease)."""
    from core.jobs import jobs_relay
    from core.models import BackgroundJob

    deadline = time.monotonic() + timeout
    relayed = 0.0
    while time.monotonic() < deadline:
        if condition():
            return
        if time.monotonic() - relayed > 0.5:
            jobs_relay()
            relayed = time.monotonic()
        time.sleep(poll)
    states = list(BackgroundJob.objects.values_list("status", "attempts", "last_error"))
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}: {states}")


def wait_for_jobs_done(count: int, *, timeout: float = 120.0) -> None:
    """Wait until `count` background jobs are done."""
    wait_until(lambda: jobs_done() >= count, timeout=timeout, what=f"{count} job(s) done")
