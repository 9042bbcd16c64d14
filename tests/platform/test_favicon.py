"""The icon: our own SVG in static, linked from every page, and `/favicon.ico` finds it."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.conftest import DEMO_PASSWORD


def test_the_favicon_is_a_small_svg_in_static() -> None:
    # when
    path = finders.find("favicon.svg")

    # then
    assert path is not None
    root = ElementTree.parse(path).getroot()  # noqa: S314 - our own file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"


@pytest.mark.django_db
def test_pages_link_the_svg_icon() -> None:
    # when
    page = Client().get(reverse("accounts:login"))

    # then
    assert page.status_code == 200
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.content.decode()


@pytest.mark.django_db
def test_favicon_ico_redirects_to_the_svg_instead_of_404() -> None:
    # when
    response = Client().get("/favicon.ico")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert finders.find(response["Location"].removeprefix("/static/")) is not None


@pytest.mark.django_db
def test_favicon_ico_is_not_held_behind_the_second_factor(practice, make_member) -> None:  # type: ignore[no-untyped-def]
    # given: signed in with the password, second factor not yet passed
    user = make_member("biller", practice)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})

    # when
    response = client.get("/favicon.ico")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
