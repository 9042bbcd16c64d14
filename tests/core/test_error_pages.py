"""Styled 403, 404 and 500 pages (DEBUG off, as in production): plain words, a way home,
nothing internal."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


def test_a_missing_page_answers_our_404(practice, make_member, client_for):
    response = client_for(make_member("biller", practice)).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We couldn't find that page" in body
    assert 'href="/"' in body
    assert 'class="mainnav"' in body  # the menu stays reachable


def test_a_forbidden_page_answers_our_403(practice, make_member, client_for):
    response = client_for(make_member("technician", practice, provider=True)).get(reverse("charges:list"))
    assert response.status_code == 403
    assert "You can't open this page" in response.content.decode()


def test_a_server_error_answers_our_500_without_any_context():
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body
