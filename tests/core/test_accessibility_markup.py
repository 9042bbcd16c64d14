"""Every `aria-describedby` on the main forms points at ids that exist on the page (Django links
a field to `<id>_helptext`; the templates must render the help text with that id), and every
page has the skip link to `#main`."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.clinical_notes.helpers import write_note

pytestmark = pytest.mark.django_db

_DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')


def _dangling(html: str) -> list[str]:
    ids = set(_ID.findall(html))
    return [ref for refs in _DESCRIBED.findall(html) for ref in refs.split() if ref not in ids]


def _pages(clinic):
    note = write_note(
        clinic.access(clinic.tech_user), patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]
    )
    return [
        (clinic.tech_user, reverse("clinical_notes:edit", args=[note.pk])),
        (clinic.biller_user, reverse("patients:create")),
        (clinic.biller_user, reverse("patients:coverage_add", args=[clinic.patient.pk])),
        (clinic.biller_user, reverse("charges:list")),
        (clinic.admin_user, reverse("practice:provider_create")),
        (clinic.compliance_user, reverse("audit:event_list")),
        (clinic.supervisor_user, reverse("home")),
    ]


def test_help_texts_exist_where_aria_describedby_points_and_the_skip_link_is_there(clinic, client_for):
    problems = []
    described = 0
    for user, url in _pages(clinic):
        response = client_for(user).get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        described += len(_DESCRIBED.findall(html))
        problems += [f"{url}: {ref}" for ref in _dangling(html)]
        if '<a class="skip-link" href="#main">' not in html or 'id="main"' not in html:
            problems.append(f"{url}: no skip link to #main")
    assert problems == []
    assert described > 5  # the check ran over real help texts
