"""Permission first, everywhere: a role without the capability gets 403 even with a bad body.

Every write API in the permission matrix is called, by every role the matrix denies, with bodies
that no serializer accepts. Checking the body first would answer 400 with the field list (telling
a caller without the capability what the endpoint wants); the answer must be the denial.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.test_permission_matrix import DENY, MATRIX, ROLES
from tests.test_permission_matrix import graph as graph  # noqa: F401 (the shared practice graph)

WRITE_METHODS = ("post", "put", "patch", "delete")
API_WRITES = sorted(
    name for name, entry in MATRIX.items() if "_api:" in name and entry.method in WRITE_METHODS
)
# Providers with clinical access hold the capability to write notes; the matrix denies them on a
# given note by their relation to it (not its author, not a supervisor of the author). That
# relation is checked before the body too (clinical_notes.services.note_writer_require), so no
# role is exempt here.
RELATION_DENIED: dict[str, tuple[str, ...]] = {}
BAD_BODIES = {"empty": {}, "not_an_object": [], "wrong_types": {"__all__": {"x": [1]}}}


def test_the_write_apis_are_found():
    apps = {name.split(":")[0] for name in API_WRITES}
    assert {"patients_api", "notes_api", "charges_api", "plans_api", "scheduling_api"} <= apps


@pytest.mark.django_db
@pytest.mark.parametrize("route", API_WRITES)
def test_forbidden_roles_are_denied_before_the_body_is_read(route, graph, client_for):  # noqa: F811
    # given
    entry = MATRIX[route]
    url = reverse(route, kwargs=entry.kwargs(graph))
    relation_denied = RELATION_DENIED.get(route.split(":")[0], ())
    denied_roles = [role for role in ROLES if entry.access[role] == DENY and role not in relation_denied]
    # when
    answers: dict[tuple[str, str], Any] = {}
    for role in denied_roles:
        http = client_for(graph["members"][role])
        for case, body in BAD_BODIES.items():
            response = getattr(http, entry.method)(url, body, content_type="application/json")
            answers[(role, case)] = (response.status_code, response.json()["code"])
    # then
    assert denied_roles
    assert {key: answer for key, answer in answers.items() if answer[0] not in (403, 404)} == {}
