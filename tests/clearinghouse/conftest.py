from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.clearinghouse.sftp_servers import SSHD, Endpoint, asyncssh_sftp, openssh_sftp


@pytest.fixture(scope="session")
def asyncssh_sftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    pytest.importorskip("asyncssh")
    with asyncssh_sftp(tmp_path_factory.mktemp("asyncssh-sftp")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def openssh_sftp_server() -> Iterator[Endpoint]:
    if not os.path.exists(SSHD):
        pytest.skip("needs: apt-get install -y openssh-server")
    if os.geteuid() != 0:
        pytest.skip("a private sshd needs root")
    with openssh_sftp() as endpoint:
        yield endpoint


@pytest.fixture(params=["asyncssh", "openssh"])
def sftp_server(request: pytest.FixtureRequest) -> Iterator[Endpoint]:
    """Each SFTP test runs against both servers; the folders are emptied between tests."""
    endpoint: Endpoint = request.getfixturevalue(f"{request.param}_sftp_server")
    yield endpoint
    for path in endpoint.root.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
