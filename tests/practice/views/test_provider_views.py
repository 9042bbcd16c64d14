"""Provider screens: the list shows credential/licence status; NPI errors land on the form."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.models import License, LicenseAlert, Provider, Supervision
from tests.factories import ProviderFactory
from tests.practice.graph import build_providers

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


@time_machine.travel("2025-06-01 15:00:00+00:00", tick=False)
def test_list_shows_credential_licence_supervisor_enrolment_and_alerts(web, practice):
    # given
    bcba, techs, _ = build_providers(practice, technicians=1, today=date(2025, 6, 1))
    expired = ProviderFactory(practice=practice, credential="LCSW", last_name="Zed")
    License.objects.create(provider=expired, number="LCSW-1", state="IL", expires_on=date(2025, 5, 31))
    # when
    response = web("biller").get(reverse("practice:provider_list"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    rows = {row.provider_id: row for row in response.context["rows"]}
    assert (rows[bcba.pk].license.label, rows[bcba.pk].license.css) == ("Active", "ok")
    assert (rows[techs[0].pk].license.label, rows[techs[0].pk].license.css) == ("Expiring soon", "warn")
    assert (rows[expired.pk].license.label, rows[expired.pk].license.css) == ("Expired", "bad")
    assert rows[techs[0].pk].supervisors == bcba.full_name
    assert rows[expired.pk].supervisors == "—"
    assert [(e.payer_name, e.status_label) for e in rows[techs[0].pk].enrollments] == [
        ("Plan 0", "Enrolled"),
        ("Plan 1", "Enrolled"),
    ]
    assert [a.text for a in rows[techs[0].pk].alerts] == ["IL licence RBT-0 expires Jun 1, 2025"]
    assert '<span class="badge bad">Expired</span>' in html
    assert '<span class="badge warn">Expiring soon</span>' in html
    assert "IL licence RBT-0 expires Jun 1, 2025" in html
    assert "Add a provider" not in html  # billers cannot manage


def test_technician_without_supervisor_is_flagged(web, practice):
    tech = ProviderFactory(practice=practice, credential="RBT", npi="")
    response = web("practice_admin").get(reverse("practice:provider_list"))
    row = next(r for r in response.context["rows"] if r.provider_id == tech.pk)
    assert (row.license.label, row.license.css) == ("None on file", "")
    assert row.supervision_badge is not None
    assert row.supervision_badge.label == "No supervisor today"
    assert "Add a provider" in response.content.decode()


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("practice:provider_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_providers(web, practice, django_assert_num_queries):
    # given
    client = web("practice_admin")
    build_providers(practice, technicians=1, today=date(2025, 6, 1))
    few = _list_queries(client)
    more_techs = [ProviderFactory(practice=practice, credential="RBT", npi="") for _ in range(5)]
    for tech in more_techs:
        lic = License.objects.create(
            provider=tech, number=f"N{tech.pk}", state="IL", expires_on=date(2025, 6, 1)
        )
        LicenseAlert.objects.create(license=lic, expires_on=lic.expires_on, status="expiring")
    # when / then
    with django_assert_num_queries(few):
        client.get(reverse("practice:provider_list"))


@pytest.mark.parametrize(("role", "status"), [("compliance", 403), ("technician", 200)])
def test_list_access(web, role, status):
    assert web(role).get(reverse("practice:provider_list")).status_code == status


def test_anonymous_goes_to_sign_in(client):
    response = client.get(reverse("practice:provider_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_create_form_shows_npi_error_and_writes_nothing(web, practice):
    # when
    response = web("practice_admin").post(
        reverse("practice:provider_create"),
        {"first_name": "Dana", "last_name": "Reyes", "credential": "LPC", "npi": "1234567890"},
    )
    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "npi": ["This NPI's check digit is wrong; check it for a typo."]
    }
    assert "This NPI&#x27;s check digit is wrong" in response.content.decode()
    assert Provider.objects.filter(practice=practice).count() == 0


def test_create_a_provider_through_the_form(web, practice):
    response = web("practice_admin").post(
        reverse("practice:provider_create"),
        {"first_name": "Dana", "last_name": "Reyes", "credential": "LPC", "npi": "1245319599"},
    )
    provider = Provider.objects.get(practice=practice)
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:provider_detail", args=[provider.pk])


@pytest.mark.parametrize("role", ["biller", "technician", "clinician", "supervisor", "compliance"])
def test_only_admins_see_the_create_form(web, role, practice):
    client = web(role)
    assert client.get(reverse("practice:provider_create")).status_code == 403
    posted = client.post(
        reverse("practice:provider_create"),
        {"first_name": "Dana", "last_name": "Reyes", "credential": "LPC", "npi": "1245319599"},
    )
    assert posted.status_code == 403
    assert Provider.objects.filter(practice=practice).count() == 0


def test_detail_page(web, practice):
    bcba, techs, _ = build_providers(practice, technicians=1, today=date(2025, 6, 1))
    response = web("practice_admin").get(reverse("practice:provider_detail", args=[techs[0].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"].supervisors[0].other_name == bcba.full_name
    assert 'id="license-form"' in html
    assert 'id="supervision-form"' in html


def test_detail_of_another_practices_provider_is_404(web, other_practice):
    outsider = ProviderFactory(practice=other_practice)
    assert (
        web("practice_admin").get(reverse("practice:provider_detail", args=[outsider.pk])).status_code == 404
    )


def test_license_form_errors_rerender_the_detail(web, practice):
    provider = ProviderFactory(practice=practice)
    response = web("practice_admin").post(
        reverse("practice:license_add", args=[provider.pk]),
        {"number": "L1", "state": "ZZ", "expires_on": "2027-01-01"},
    )
    assert response.status_code == 400
    assert response.context["license_form"].errors == {"state": ["Use a two-letter US state code, as IL."]}
    assert License.objects.count() == 0


def test_add_supervision_through_the_form(web, practice):
    bcba = ProviderFactory(practice=practice, credential="BCBA")
    tech = ProviderFactory(practice=practice, credential="RBT", npi="")
    response = web("practice_admin").post(
        reverse("practice:supervision_add", args=[tech.pk]),
        {"supervisor_id": bcba.pk, "starts_on": "2025-01-01"},
    )
    assert response.status_code == 302
    assert list(Supervision.objects.values_list("supervisor_id", "supervisee_id")) == [(bcba.pk, tech.pk)]


def test_acknowledge_an_alert(web, practice):
    provider = ProviderFactory(practice=practice)
    lic = License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2025, 6, 1))
    alert = LicenseAlert.objects.create(license=lic, expires_on=lic.expires_on, status="expiring")
    response = web("practice_admin").post(reverse("practice:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert response.status_code == 302
    assert alert.acknowledged_at is not None
