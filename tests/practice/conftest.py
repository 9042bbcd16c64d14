"""Fixtures for practice tests: PracticeAccess objects per role."""

import pytest

from practice.access import practice_access_for


@pytest.fixture
def access_for(make_member):
    """access_for(role, practice, **member_kwargs) -> PracticeAccess for a new member."""

    def _make(role, practice, **kwargs):
        user = make_member(role, practice, **kwargs)
        return practice_access_for(user=user, practice_id=practice.pk)

    return _make


@pytest.fixture
def admin_access(practice, access_for):
    return access_for("practice_admin", practice)


@pytest.fixture
def biller_access(practice, access_for):
    return access_for("biller", practice)
