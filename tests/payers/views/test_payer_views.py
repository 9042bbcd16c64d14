"""Payer screens: list for billers/admins, create/edit and enrolment for admins."""

import pytest
from django.urls import reverse

from payers.models import Payer, PayerEnrollment
from tests.factories import PayerFactory, ProviderFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "State Medicaid",
    "kind": "medicaid",
    "payer_id": "77027",
    "claim_filing_indicator": "MC",
    "timely_filing_days": "365",
    "appeal_window_days": "90",
}


@pytest.fixture
def web(practice, make_member, client_for):
    def _make(role):
        return client_for(make_member(role, practice))

    return _make


@pytest.mark.parametrize(
    ("role", "status"),
    [("biller", 200), ("practice_admin", 200), ("technician", 403), ("clinician", 403), ("compliance", 403)],
)
def test_list_access(web, role, status):
    assert web(role).get(reverse("payers:list")).status_code == status


def test_list_rows(web, practice):
    PayerFactory(practice=practice, name="Acme", payer_id="ACM01", claim_filing_indicator="CI")
    response = web("biller").get(reverse("payers:list"))
    (row,) = response.context["rows"]
    assert (row.name, row.payer_id, row.claim_filing, row.timely_filing, row.enrolled) == (
        "Acme",
        "ACM01",
        "CI · Commercial insurance",
        "90 days",
        "0 providers",
    )
    assert "Add a payer" not in response.content.decode()


def test_create_through_the_form(web, practice):
    response = web("practice_admin").post(reverse("payers:create"), FORM)
    assert response.status_code == 302
    assert list(
        Payer.objects.filter(practice=practice).values_list("name", "payer_id", "timely_filing_days")
    ) == [("State Medicaid", "77027", 365)]


def test_invalid_payer_id_shows_on_the_form(web, practice):
    response = web("practice_admin").post(reverse("payers:create"), FORM | {"payer_id": "77-027"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"payer_id": ["A payer ID is 2 to 10 letters or digits."]}
    assert Payer.objects.count() == 0


@pytest.mark.parametrize("role", ["biller", "technician"])
def test_only_admins_create_or_edit(web, practice, role):
    payer = PayerFactory(practice=practice)
    client = web(role)
    assert client.get(reverse("payers:create")).status_code == 403
    assert client.post(reverse("payers:create"), FORM).status_code == 403
    assert client.get(reverse("payers:edit", args=[payer.pk])).status_code == 403
    assert Payer.objects.count() == 1


def test_edit_another_practices_payer_is_404(web, other_practice):
    payer = PayerFactory(practice=other_practice)
    assert web("practice_admin").get(reverse("payers:edit", args=[payer.pk])).status_code == 404


def test_edit_through_the_form(web, practice):
    payer = PayerFactory(practice=practice, name="Acme")
    client = web("practice_admin")
    page = client.get(reverse("payers:edit", args=[payer.pk]))
    response = client.post(reverse("payers:edit", args=[payer.pk]), FORM | {"is_active": "on"})
    payer.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert (payer.name, payer.kind) == ("State Medicaid", "medicaid")


def test_set_an_enrollment_through_the_form(web, practice):
    provider = ProviderFactory(practice=practice)
    payer = PayerFactory(practice=practice)
    client = web("practice_admin")
    url = f"{reverse('payers:enrollment_set')}?provider={provider.pk}&payer={payer.pk}"
    page = client.get(url)
    response = client.post(
        url,
        {"provider_id": provider.pk, "payer": payer.pk, "status": "enrolled", "effective_on": "2025-01-01"},
    )
    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:provider_detail", args=[provider.pk])
    assert list(PayerEnrollment.objects.values_list("status", flat=True)) == ["enrolled"]
