"""The practice's SFTP clearinghouse connection as the adapter's settings.

`sftp_adapter_for(practice_id=)` builds a `clearinghouse.sftp.SftpBatchClearinghouse` from the
practice's `SftpConnection`, reading the key passphrase from the environment or from the file
beside the key that the eligibility settings screen writes (never the database). None when the practice has no SFTP connection. The eligibility workflow picks the
adapter per practice and calls this for the SFTP choice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from clearinghouse.sftp import SftpBatchClearinghouse, SftpSettings
from core.errors import ValidationFailed
from practice.models import SftpConnection


def sftp_settings_for(*, practice_id: int, environ: Mapping[str, str] = os.environ) -> SftpSettings | None:
    row = SftpConnection.objects.filter(practice_id=practice_id).first()
    if row is None:
        return None
    passphrase = key_passphrase_from_file(row.key_path)
    if row.passphrase_env:
        if row.passphrase_env not in environ:
            raise ValidationFailed(
                f"The environment variable {row.passphrase_env} (the SFTP key passphrase) is not set."
            )
        passphrase = environ[row.passphrase_env]
    return SftpSettings(
        host=row.host,
        port=row.port,
        username=row.username,
        key_path=row.key_path,
        known_host_key=row.known_host_key,
        key_passphrase=passphrase,
        outbox=row.outbox,
        inbox=row.inbox,
        archive=row.archive,
        rejected=row.rejected,
    )


PASSPHRASE_SUFFIX = ".passphrase"  # noqa: S105 (a file name suffix, not a password)


def key_passphrase_from_file(key_path: str) -> str | None:
    """The passphrase an admin gave on the eligibility settings screen: a file beside the key
    (`<key>.passphrase`, mode 0600, outside the database); None when there is none."""
    try:
        with open(key_path + PASSPHRASE_SUFFIX, encoding="utf-8") as handle:
            return handle.read().rstrip("\n")
    except (FileNotFoundError, NotADirectoryError):
        return None


def sftp_adapter_for(
    *, practice_id: int, environ: Mapping[str, str] = os.environ
) -> SftpBatchClearinghouse | None:
    settings = sftp_settings_for(practice_id=practice_id, environ=environ)
    return SftpBatchClearinghouse(settings) if settings is not None else None
