"""Content-Security-Policy on every response, no-store for signed-in answers, Swagger UI local."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_client

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}


def _directives(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "path", "signed_in"),
    [
        ("sign-in page", "/accounts/login/", False),
        ("home", "/", True),
        ("patient list", "/patients/", True),
        ("list API", "/api/patients/", True),
        ("schema", "/api/schema/", True),
        ("swagger page", "/api/docs/", True),
        ("not found", "/no-such-page/", True),
    ],
)
def test_every_response_carries_the_strict_policy(_case, path, signed_in, practice, make_member):
    # given
    client = verified_client(make_member("practice_admin", practice)) if signed_in else Client()
    # when
    response = client.get(path)
    # then
    directives = _directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_DIRECTIVES.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "path"),
    [
        ("home", "/"),
        ("patient list", "/patients/"),
        ("list API", "/api/patients/"),
        ("schema", "/api/schema/"),
    ],
)
def test_signed_in_answers_are_never_stored(_case, path, practice, make_member):
    client = verified_client(make_member("biller", practice))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_visitors_health_check_is_not_marked_no_store(practice, make_member):
    # the rule is "signed-in answers": the same public route differs only by who asks
    visitor = Client().get("/healthz")
    signed_in = verified_client(make_member("biller", practice)).get("/healthz")
    assert "no-store" not in visitor.get("Cache-Control", "")
    assert "no-store" in signed_in["Cache-Control"]


@pytest.mark.django_db
def test_swagger_ui_comes_from_our_static_files_and_its_script_is_separate(practice, make_member):
    client = verified_client(make_member("biller", practice))
    # when
    page = client.get(reverse("docs"))
    html = page.content.decode()
    # then: the Swagger files are ours (sidecar), nothing from another host, no inline script/style
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/css/swagger.css" in html
    assert not re.search(r"https?://", html)
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    script = client.get(reverse("docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def _template_files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


# The PDF templates are rendered by WeasyPrint into PDFs, never served as HTML: they keep their <style>.
PDF_TEMPLATES = {
    "clinical_notes/note_pdf.html",
    "estimates/gfe_pdf.html",
    "claims/cms1500_pdf.html",
    "denials/appeal_letter_pdf.html",
    "ledger/statement_pdf.html",
}


@pytest.mark.parametrize("template", _template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_style_or_event_handler(template: Path):
    text = template.read_text()
    name = str(template.relative_to(TEMPLATES))
    assert re.findall(r"<script(?![^>]*\bsrc=)", text) == [], "inline <script>"
    assert re.findall(r"\sstyle\s*=", text) == [], 'style="..." attribute'
    assert re.findall(r"\son[a-z]+\s*=\s*[\"']", text) == [], "inline event handler"
    if name not in PDF_TEMPLATES:
        assert "<style" not in text, "<style> block"
