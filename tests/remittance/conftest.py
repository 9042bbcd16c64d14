"""Fixtures of the remittance tests."""

from __future__ import annotations

import pytest

from tests.remittance.world import World


@pytest.fixture
def sample_world(practice):  # type: ignore[no-untyped-def]
    """The World with the claims tests/edi/samples_835.py pays and denies."""
    w = World(practice)
    w.sample_claims()
    return w
