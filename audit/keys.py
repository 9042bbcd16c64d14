"""The audit chain's keys, read from settings (the environment): never from or into the database."""

from __future__ import annotations

from django.conf import settings

from audit.domain.chain import ChainKey, chain_key


def audit_chain_current_key() -> ChainKey:
    """The key new events are sealed with (AUDIT_CHAIN_KEY)."""
    return chain_key(settings.AUDIT_CHAIN_KEY)


def audit_chain_known_keys() -> dict[str, bytes]:
    """Every key the verifier may need: the current one and AUDIT_CHAIN_PREVIOUS_KEYS, by key id."""
    keys = [chain_key(secret) for secret in settings.AUDIT_CHAIN_PREVIOUS_KEYS if secret]
    keys.append(audit_chain_current_key())
    return {key.key_id: key.secret for key in keys}
