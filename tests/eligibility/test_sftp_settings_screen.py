"""The SFTP connection on the eligibility settings screen (practice admins only): every field
editable, the pinned host key checked, the private key and passphrase write-only (0600 files
outside the database, never shown back), each save audited without a secret. That a connection
saved here signs in to a real SFTP server: tests/clearinghouse/test_sftp_eligibility.py."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from audit.models import AuditEvent
from practice.models import SftpConnection
from practice.sftp import sftp_settings_for
from tests.eligibility.matrix_entries import sftp_form_data
from tests.eligibility.world import make_world

pytestmark = pytest.mark.django_db
URL = "eligibility:sftp_settings"


@pytest.fixture
def world(make_member):  # type: ignore[no-untyped-def]
    return make_world(make_member)


@pytest.fixture
def admin(world, make_member, client_for, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SFTP_KEYS_DIR = str(tmp_path / "keys")
    return client_for(make_member("practice_admin", world.practice))


def _encrypted_key(passphrase: bytes) -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.BestAvailableEncryption(passphrase),
        )
        .decode()
    )


def test_an_admin_sets_the_connection_and_never_sees_the_key_again(world, admin, tmp_path):  # type: ignore[no-untyped-def]
    data = sftp_form_data()
    response = admin.post(reverse(URL), data)
    assert response.status_code == 302
    row = SftpConnection.objects.get(practice=world.practice)
    assert (row.host, row.port, row.username, row.outbox) == (
        "sftp.clearinghouse.example",
        2222,
        "parity-practice",
        "outbox",
    )
    key = Path(row.key_path)
    assert key.parent == tmp_path / "keys"
    assert key.read_text().strip() == data["private_key"].strip()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    page = admin.get(reverse("eligibility:settings")).content.decode()
    assert "sftp.clearinghouse.example" in page
    assert "Private key: <strong>set</strong>" in page
    body = data["private_key"].splitlines()[1]
    assert body not in page  # write-only
    assert row.key_path not in page
    event = AuditEvent.objects.filter(object_type="sftp_connection").latest("pk")
    assert "private key replaced" in event.detail
    assert body not in event.detail


def test_blank_secrets_keep_the_stored_ones_and_the_audit_names_what_changed(world, admin):  # type: ignore[no-untyped-def]
    admin.post(reverse(URL), sftp_form_data())
    key_path = SftpConnection.objects.get(practice=world.practice).key_path
    response = admin.post(
        reverse(URL), {**sftp_form_data(private_key=""), "host": "sftp2.clearinghouse.example"}
    )
    assert response.status_code == 302
    row = SftpConnection.objects.get(practice=world.practice)
    assert (row.host, row.key_path) == ("sftp2.clearinghouse.example", key_path)
    event = AuditEvent.objects.filter(object_type="sftp_connection").latest("pk")
    assert event.detail.startswith("SFTP connection host")
    assert "private key" not in event.detail
    assert "known_host_key" in event.detail  # a new pinned key is named too


def test_an_encrypted_key_needs_its_passphrase_kept_beside_it(world, admin):  # type: ignore[no-untyped-def]
    key = _encrypted_key(b"correct horse battery")
    refused = admin.post(reverse(URL), sftp_form_data(private_key=key))
    assert refused.status_code == 400
    assert "give its passphrase" in refused.content.decode()
    assert "correct horse" not in refused.content.decode()
    wrong = admin.post(reverse(URL), sftp_form_data(private_key=key, passphrase="wrong"))
    assert wrong.status_code == 400
    assert "wrong passphrase" in wrong.content.decode()
    assert key.splitlines()[1] not in wrong.content.decode()  # the pasted key is not echoed
    assert not SftpConnection.objects.exists()
    assert (
        admin.post(
            reverse(URL), sftp_form_data(private_key=key, passphrase="correct horse battery")
        ).status_code
        == 302
    )
    row = SftpConnection.objects.get(practice=world.practice)
    passphrase_file = Path(row.key_path + ".passphrase")
    assert stat.S_IMODE(passphrase_file.stat().st_mode) == 0o600
    assert sftp_settings_for(practice_id=world.practice.pk).key_passphrase == "correct horse battery"  # type: ignore[union-attr]
    assert "passphrase: <strong>set</strong>" in admin.get(reverse("eligibility:settings")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("known_host_key", "ssh-ed25519 not-base64!", "host key cannot be read"),
        ("known_host_key", "", "This field is required"),
        ("host", "bad host", "host name"),
        ("inbox", "../etc", "no .."),
        ("inbox", "outbox", "must differ"),
        (
            "private_key",
            "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n-----END OPENSSH PRIVATE KEY-----",
            "cannot be read",
        ),
        ("private_key", "", "Paste the private key"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_is_written(
    world, admin, tmp_path, field, value, message
):  # type: ignore[no-untyped-def]
    response = admin.post(reverse(URL), sftp_form_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SftpConnection.objects.exists()
    assert not (tmp_path / "keys").exists() or not any((tmp_path / "keys").iterdir())


def test_only_admins_reach_the_connection(world, client_for):  # type: ignore[no-untyped-def]
    response = client_for(world.biller).post(reverse(URL), sftp_form_data())
    assert response.status_code == 403
    assert not SftpConnection.objects.exists()
