from __future__ import annotations

from typing import Any

import pytest

from tests.denials.world import World, make_world


@pytest.fixture
def world(make_member: Any, practice: Any) -> World:
    return make_world(make_member, practice)
