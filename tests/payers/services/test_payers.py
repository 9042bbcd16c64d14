"""payer_create / payer_update / enrollment_set."""

from datetime import date

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from payers import services
from payers.models import Payer, PayerEnrollment
from tests.factories import PayerFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def payer_rows(practice):
    return list(
        Payer.objects.filter(practice=practice).order_by("pk").values_list("name", "kind", "payer_id")
    )


def test_create_a_payer(admin_access, practice):
    payer = services.payer_create(
        access=admin_access,
        name="Blue Prairie",
        kind="commercial",
        payer_id="bcbsil",
        claim_filing_indicator="BL",
        timely_filing_days=180,
        appeal_window_days=60,
    )
    assert payer_rows(practice) == [("Blue Prairie", "commercial", "BCBSIL")]
    assert (payer.timely_filing_days, payer.appeal_window_days, payer.claim_filing_indicator) == (
        180,
        60,
        "BL",
    )


def test_self_pay_needs_no_payer_id(admin_access, practice):
    services.payer_create(access=admin_access, name="Self-pay", kind="self_pay")
    assert payer_rows(practice) == [("Self-pay", "self_pay", "")]


@pytest.mark.parametrize(
    ("_case", "values", "errors"),
    [
        ("commercial without ID", {"kind": "commercial"}, {"payer_id": ["An electronic payer ID is required (except for self-pay)."]}),
        ("ID too long", {"kind": "medicaid", "payer_id": "ABCDEFGHIJK"}, {"payer_id": ["A payer ID is 2 to 10 letters or digits."]}),
        ("taken name", {"kind": "medicare", "payer_id": "MCR01", "name": "acme"}, {"name": ["Another payer already has this name."]}),
        ("taken ID", {"kind": "medicare", "payer_id": "acm01"}, {"payer_id": ["Another payer already has this payer ID."]}),
        ("zero days", {"kind": "medicare", "payer_id": "MCR01", "timely_filing_days": 0}, {"timely_filing_days": ["Timely filing must be between 1 and 1095 days."]}),
    ],
)  # fmt: skip
def test_invalid_payer_is_not_created(admin_access, practice, _case, values, errors):
    PayerFactory(practice=practice, name="Acme", payer_id="ACM01")
    with pytest.raises(ValidationFailed) as caught:
        services.payer_create(access=admin_access, **({"name": "New plan"} | values))
    assert caught.value.field_errors == errors
    assert payer_rows(practice) == [("Acme", "commercial", "ACM01")]


def test_same_name_in_another_practice_is_fine(admin_access, practice, other_practice):
    PayerFactory(practice=other_practice, name="Acme", payer_id="ACM01")
    services.payer_create(access=admin_access, name="Acme", kind="commercial", payer_id="ACM01")
    assert payer_rows(practice) == [("Acme", "commercial", "ACM01")]


def test_biller_cannot_create(biller_access, practice):
    with pytest.raises(PermissionDenied):
        services.payer_create(access=biller_access, name="Acme", kind="commercial", payer_id="ACM01")
    assert payer_rows(practice) == []


def test_update_a_payer(admin_access, practice):
    payer = PayerFactory(practice=practice, name="Acme", payer_id="ACM01", timely_filing_days=90)
    services.payer_update(access=admin_access, payer_pk=payer.pk, timely_filing_days=365, is_active=False)
    payer.refresh_from_db()
    assert (payer.name, payer.timely_filing_days, payer.is_active) == ("Acme", 365, False)


def test_update_another_practices_payer_is_not_found(admin_access, other_practice):
    payer = PayerFactory(practice=other_practice, name="Theirs")
    with pytest.raises(NotFound):
        services.payer_update(access=admin_access, payer_pk=payer.pk, name="Ours")
    payer.refresh_from_db()
    assert payer.name == "Theirs"


def test_payer_with_enrollments_cannot_become_self_pay(admin_access, practice):
    payer = PayerFactory(practice=practice)
    PayerEnrollment.objects.create(provider=ProviderFactory(practice=practice), payer=payer, status="pending")
    with pytest.raises(ValidationFailed) as caught:
        services.payer_update(access=admin_access, payer_pk=payer.pk, kind="self_pay", payer_id="")
    assert list(caught.value.field_errors) == ["kind"]
    payer.refresh_from_db()
    assert payer.kind == "commercial"


def test_set_and_replace_an_enrollment(admin_access, practice):
    provider = ProviderFactory(practice=practice)
    payer = PayerFactory(practice=practice)
    services.enrollment_set(access=admin_access, provider_id=provider.pk, payer_pk=payer.pk, status="pending")
    services.enrollment_set(
        access=admin_access,
        provider_id=provider.pk,
        payer_pk=payer.pk,
        status="enrolled",
        effective_on=date(2025, 2, 1),
        payer_provider_id="P-77",
    )
    assert list(PayerEnrollment.objects.values_list("provider_id", "payer_id", "status", "effective_on", "payer_provider_id")) == [
        (provider.pk, payer.pk, "enrolled", date(2025, 2, 1), "P-77")
    ]  # fmt: skip


def test_enrolled_needs_an_effective_date(admin_access, practice):
    provider = ProviderFactory(practice=practice)
    payer = PayerFactory(practice=practice)
    with pytest.raises(ValidationFailed) as caught:
        services.enrollment_set(
            access=admin_access, provider_id=provider.pk, payer_pk=payer.pk, status="enrolled"
        )
    assert caught.value.field_errors == {"effective_on": ["An enrolled provider needs an effective date."]}
    assert PayerEnrollment.objects.count() == 0


@pytest.mark.parametrize("foreign", ["provider", "payer"])
def test_enrollment_across_practices_is_not_found(admin_access, practice, other_practice, foreign):
    provider = ProviderFactory(practice=other_practice if foreign == "provider" else practice)
    payer = PayerFactory(practice=other_practice if foreign == "payer" else practice)
    with pytest.raises(NotFound):
        services.enrollment_set(
            access=admin_access, provider_id=provider.pk, payer_pk=payer.pk, status="pending"
        )
    assert PayerEnrollment.objects.count() == 0
