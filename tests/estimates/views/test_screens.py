"""The fee, estimate and Good Faith Estimate screens and API, through the real views."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import ContractedRate
from claims.services import contracted_rate_set, fee_schedule_entry_set
from estimates.models import GoodFaithEstimate
from tests.factories.scheduling import AppointmentFactory

pytestmark = pytest.mark.django_db

HEADER = "code,modifiers,amount,effective_from,effective_to\n"


def test_fees_screen_shows_billed_and_allowed_side_by_side(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    contracted_rate_set(access=billing.admin, payer_id=billing.commercial.pk, code="90834", amount_cents=9500,
                        effective_from=dt.date(2026, 1, 1))  # fmt: skip
    response = client_for(billing.clinic.biller_user).get(reverse("estimates:fees"))
    rows = [
        (r["code"], r["kind"], r["payer"], r["amount"])
        for r in response.context["rows"]
        if r["code"] == "90834"
    ]
    assert rows == [("90834", "Billed", "Default (self-pay)", "$110.00"),
                    ("90834", "Allowed (contract)", "Acme Commercial", "$95.00")]  # fmt: skip


def test_upload_is_all_or_nothing_and_names_the_lines(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    http = client_for(billing.clinic.admin_user)
    bad = SimpleUploadedFile(
        "fees.csv", (HEADER + "90834,,95.00,2026-01-01,\n90837,,12,000.00,2026-01-01,\n").encode()
    )
    response = http.post(reverse("estimates:fee_import"),
                         {"kind": "allowed", "payer_id": billing.commercial.pk, "file": bad})  # fmt: skip
    assert response.status_code == 400
    assert response.context["problems"] == ["Line 3: 6 values for 5 columns."]
    assert "Line 3: 6 values for 5 columns." in response.content.decode()
    assert not ContractedRate.objects.exists()
    good = SimpleUploadedFile("fees.csv", (HEADER + "90834,,95.00,2026-01-01,\n").encode())
    response = http.post(reverse("estimates:fee_import"),
                         {"kind": "allowed", "payer_id": billing.commercial.pk, "file": good})  # fmt: skip
    assert response.status_code == 302
    assert ContractedRate.objects.get().amount_cents == 9500


def test_add_allowed_amount_form(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(billing.clinic.admin_user).post(
        reverse("estimates:allowed_add"),
        {
            "payer_id": billing.commercial.pk,
            "code": "90837",
            "modifiers": "95",
            "amount": "131.25",
            "effective_from": "2026-01-01",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert ContractedRate.objects.get().modifiers_key == "95"


def test_appointment_estimate_screen_explains_why_not(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    appointment = AppointmentFactory(practice=billing.practice, patient=billing.patient,
                                     provider=billing.clinic.clinician)  # fmt: skip
    response = client_for(billing.clinic.biller_user).get(
        reverse("estimates:appointment", args=[appointment.pk])
    )
    body = response.content.decode()
    assert "No estimate:" in body
    assert "No contracted (allowed) amount" in body or "verify eligibility first" in body


def test_gfe_screens_and_pdf(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    fee_schedule_entry_set(
        access=billing.admin, code="90791", amount_cents=20000, effective_from=dt.date(2025, 1, 1)
    )
    http = client_for(billing.clinic.biller_user)
    response = http.post(reverse("estimates:gfe_create"), {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Evaluation and weekly psychotherapy", "items": "90791, 90834 x 3",
        "scheduled_on": "2026-03-10", "service_on": "2026-03-24",
    })  # fmt: skip
    assert response.status_code == 302
    gfe = GoodFaithEstimate.objects.get()
    assert gfe.total_cents == 20000 + 3 * 11000
    detail = http.get(reverse("estimates:gfe_detail", args=[gfe.pk])).content.decode()
    assert "$530.00" in detail
    assert "Fri 13 Mar 2026" in detail  # 10 business days ahead: due 3 business days after 2026-03-10
    pdf = http.get(reverse("estimates:gfe_pdf", args=[gfe.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout
    words = " ".join(text.decode().split())
    for expected in ("Good Faith Estimate", "$530.00", "TIN", "90791", "F840", "$400", "dispute"):
        assert expected in words
    assert http.post(reverse("estimates:gfe_issue", args=[gfe.pk])).status_code == 302
    gfe.refresh_from_db()
    assert gfe.issued_at is not None


def test_gfe_form_names_the_item_without_a_fee(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(billing.clinic.biller_user).post(reverse("estimates:gfe_create"), {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Evaluation", "items": "90791", "requested_on": "2026-03-10",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Item 1: no self-pay fee for 90791" in response.content.decode()


def test_api_gfe_create_and_estimate(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    http = client_for(billing.clinic.biller_user)
    response = http.post(reverse("estimates_api:gfe_create"), {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Psychotherapy", "items": [{"code": "90834", "quantity": 2}],
        "requested_on": "2026-03-10",
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total_amount"], body["due_on"]) == ("220.00", "2026-03-13")
    assert body["items"][0]["unit_amount"] == "110.00"
    appointment = AppointmentFactory(practice=billing.practice, patient=billing.patient,
                                     provider=billing.clinic.clinician)  # fmt: skip
    estimate = http.get(reverse("estimates_api:appointment", args=[appointment.pk])).json()
    assert estimate["can_estimate"] is False
    assert estimate["patient_owes"] is None


def test_gfe_with_a_location_and_a_co_provider(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    """The form's location picker and co-provider lines: the document lists the co-provider's
    name, NPI, TIN, location and items; the total includes them; the $400 check compares the
    practice's own charges with its own items only."""
    from core.domain.identifiers import npi_with_check_digit
    from estimates.selectors import billed_against_estimate
    from tests.factories import LocationFactory

    fee_schedule_entry_set(
        access=billing.admin, code="90791", amount_cents=20000, effective_from=dt.date(2025, 1, 1)
    )
    location = LocationFactory(practice=billing.practice, name="Harbor office", address_line1="9 Harbor Way")
    npi = npi_with_check_digit("198765432")
    http = client_for(billing.clinic.biller_user)
    form = http.get(reverse("estimates:gfe_create")).content.decode()
    assert "Harbor office" in form
    response = http.post(reverse("estimates:gfe_create"), {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Evaluation with a psychiatric consult", "items": "90791",
        "scheduled_on": "2026-11-23", "service_on": "2026-12-07", "location_id": location.pk,
        "co_providers": f"provider | Dr. Ana Ruiz, MD | {npi} | 12-3456789 | 1 Main St, Portland, ME | 90792 x 1 @ 250.00",
    })  # fmt: skip
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "error" in line
    ]
    gfe = GoodFaithEstimate.objects.get()
    assert gfe.total_cents == 20000 + 25000
    assert gfe.location_text.startswith("9 Harbor Way")
    assert gfe.due_on == dt.date(2026, 11, 24)  # Thanksgiving: 9 business days ahead, due in 1
    (party,) = gfe.parties.all()
    assert (party.kind, party.npi, party.tin) == ("provider", npi, "12-3456789")
    assert [(i.code, i.total_cents) for i in party.items.all()] == [("90792", 25000)]
    detail = http.get(reverse("estimates:gfe_detail", args=[gfe.pk])).content.decode()
    for expected in ("Co-provider: Dr. Ana Ruiz, MD", f"NPI {npi}", "TIN 12-3456789", "$450.00", "$250.00"):
        assert expected in detail
    pdf = http.get(reverse("estimates:gfe_pdf", args=[gfe.pk]))
    words = " ".join(
        subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Dr. Ana Ruiz, MD" in words
    assert "$450.00" in words
    # the practice bills its own $200.00: nothing over its own items
    assert billed_against_estimate(estimate=gfe) is None or not billed_against_estimate(estimate=gfe).exceeds  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("co_providers", "message"),
    [
        ("provider | Dr. Ruiz | 1234567890 | 12-3456789 | Here | 90792 @ 250", "Line 1:"),
        ("provider | Dr. Ruiz | {npi} | 12-3456789 | Here | 00000 @ 250", "00000 is not a known code"),
    ],
)
def test_gfe_form_names_a_bad_co_provider_and_makes_nothing(
    billing, client_for, co_providers, message
) -> None:  # type: ignore[no-untyped-def]
    from core.domain.identifiers import npi_with_check_digit

    fee_schedule_entry_set(
        access=billing.admin, code="90791", amount_cents=20000, effective_from=dt.date(2025, 1, 1)
    )
    response = client_for(billing.clinic.biller_user).post(reverse("estimates:gfe_create"), {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Evaluation", "items": "90791",
        "scheduled_on": "2026-03-10", "service_on": "2026-03-24",
        "co_providers": co_providers.format(npi=npi_with_check_digit("198765432")),
    })  # fmt: skip
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GoodFaithEstimate.objects.exists()


def test_gfe_outside_the_holiday_tables_years_is_refused(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    fee_schedule_entry_set(
        access=billing.admin, code="90791", amount_cents=20000, effective_from=dt.date(2025, 1, 1)
    )
    response = client_for(billing.clinic.biller_user).post(reverse("estimates:gfe_create"), {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Evaluation", "items": "90791",
        "scheduled_on": "2033-03-10", "service_on": "2033-03-24",
    })  # fmt: skip
    assert response.status_code == 400
    assert "federal holiday table covers 2024 to 2032" in response.content.decode()
    assert not GoodFaithEstimate.objects.exists()


def test_api_gfe_with_a_co_facility(billing, client_for) -> None:  # type: ignore[no-untyped-def]
    from core.domain.identifiers import npi_with_check_digit

    npi = npi_with_check_digit("198765432")
    http = client_for(billing.clinic.biller_user)
    body = {
        "patient_id": billing.patient.pk, "provider_id": billing.clinic.clinician.pk,
        "service_description": "Psychotherapy with testing", "items": [{"code": "90834", "quantity": 2}],
        "requested_on": "2026-11-25",
        "co_providers": [{"kind": "facility", "name": "Harbor Testing Center", "npi": npi, "tin": "12-3456789",
                          "location": "2 Dock Rd, Portland, ME",
                          "items": [{"code": "96127", "quantity": 2, "unit_amount": "10.00"}]}],
    }  # fmt: skip
    response = http.post(reverse("estimates_api:gfe_create"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["total_amount"], data["due_on"]) == ("240.00", "2026-12-01")  # Thanksgiving skipped
    assert data["co_providers"] == [
        {"number": 1, "kind": "facility", "name": "Harbor Testing Center", "npi": npi, "tin": "12-3456789",
         "location": "2 Dock Rd, Portland, ME"}
    ]  # fmt: skip
    assert [(i["code"], i["co_provider"]) for i in data["items"]] == [("90834", None), ("96127", 1)]
    body["co_providers"][0]["npi"] = "1234567890"  # type: ignore[index]
    refused = http.post(reverse("estimates_api:gfe_create"), body, content_type="application/json")
    assert refused.status_code == 400
    assert "Co-provider 1" in refused.content.decode()
    assert http.get(reverse("estimates_api:gfe_list")).status_code == 200
