"""Without a practice access context, every app's API answers 403 (the error shape) and every
screen Django's 403 page: never a 500, and nothing is read or recorded.

The middleware sets `request.practice_access` to None for a signed-in user who belongs to no
practice. The API's default permission already refuses them; the `without_member_permission`
cases take that permission away, so the views' own guard (`accounts.access.request_access`) is
what answers.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from rest_framework import exceptions as drf_exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.access import NO_PRACTICE_ACCESS, PracticeAccess, request_access, screen_access
from accounts.domain.roles import Capability, Role
from audit.models import AuditEvent
from audit.services import AuditContext
from core.errors import PermissionDenied
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API_URLS = [
    ("patients", "patients_api:list", []),
    ("practice", "practice_api:practice_detail", []),
    ("payers", "payers_api:payer_list", []),
    ("audit", "audit_api:event_list", []),
    ("clinical_notes", "notes_api:detail", [1]),
    ("treatment_plans", "plans_api:detail", [1]),
    ("scheduling", "scheduling_api:appointment_detail", [1]),
    ("authorizations", "authorizations_api:authorization_detail", [1]),
    ("claims", "charges_api:detail", [1]),
]

SCREEN_URLS = [
    ("patients", "patients:list", []),
    ("practice", "practice:provider_list", []),
    ("payers", "payers:list", []),
    ("audit", "audit:event_list", []),
    ("clinical_notes", "clinical_notes:list", []),
    ("treatment_plans", "plans:detail", [1]),
    ("scheduling", "scheduling:day", []),
    ("authorizations", "authorizations:list", []),
    ("claims", "charges:list", []),
]


@pytest.fixture
def outsider(client_for, make_member, practice):  # type: ignore[no-untyped-def]
    """A signed-in, MFA-verified user whose membership was ended: no practice access context."""
    user = make_member("practice_admin", practice)
    user.memberships.update(is_active=False)
    return client_for(user)


@pytest.fixture
def without_member_permission(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(APIView, "permission_classes", [IsAuthenticated])


@pytest.mark.parametrize(
    "member_permission", [True, False], ids=["default_permission", "without_member_permission"]
)
@pytest.mark.parametrize(("_case", "name", "args"), API_URLS)
def test_api_without_access_context_answers_403(request, outsider, member_permission, _case, name, args):  # type: ignore[no-untyped-def]
    # given
    if not member_permission:
        request.getfixturevalue("without_member_permission")
    # when
    response = outsider.get(reverse(name, args=args))
    # then
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"message", "code", "extra"}
    assert body["code"] == "permission_denied"
    assert body["extra"] == {}
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(("_case", "name", "args"), SCREEN_URLS)
def test_screen_without_access_context_answers_the_403_page(outsider, _case, name, args):  # type: ignore[no-untyped-def]
    # when
    response = outsider.get(reverse(name, args=args))
    # then
    assert response.status_code == 403
    assert AuditEvent.objects.count() == 0


def _practice_access(role: Role = Role.BILLER) -> PracticeAccess:
    return PracticeAccess(
        user_id=1,
        username="casey",
        practice_id=7,
        practice_name="Synthetic Practice",
        role=role,
        provider_id=None,
        audit=AuditContext(actor_id=1, actor_username="casey"),
    )


def _drf_request(**attributes: object) -> Request:
    django_request = RequestFactory().get("/api/anything/")
    django_request.user = UserFactory.build()
    for name, value in attributes.items():
        setattr(django_request, name, value)
    return Request(django_request)


@pytest.mark.parametrize(
    ("_case", "attributes"), [("never_set", {}), ("set_to_none", {"practice_access": None})]
)
def test_request_access_refuses_a_request_without_context(_case, attributes) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(drf_exceptions.PermissionDenied) as raised:
        request_access(_drf_request(**attributes))
    assert str(raised.value.detail) == NO_PRACTICE_ACCESS


def test_request_access_returns_the_context_and_checks_the_capability() -> None:
    access = _practice_access(Role.BILLER)
    request = _drf_request(practice_access=access)
    assert request_access(request) is access
    assert request_access(request, Capability.BILLING_VIEW) is access
    with pytest.raises(PermissionDenied):
        request_access(request, Capability.AUDIT_VIEW)


def test_screen_access_refuses_without_context_or_capability() -> None:

    request = RequestFactory().get("/patients/")
    with pytest.raises(DjangoPermissionDenied):
        screen_access(request, Capability.PATIENT_VIEW)
    request.practice_access = _practice_access(Role.BILLER)  # type: ignore[attr-defined]
    assert screen_access(request, Capability.BILLING_VIEW) is request.practice_access  # type: ignore[attr-defined]
    with pytest.raises(DjangoPermissionDenied):
        screen_access(request, Capability.AUDIT_VIEW)
