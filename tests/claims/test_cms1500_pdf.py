"""claims.pdf_cms1500: the printed form carries the box values (read back with pdftotext)."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal

from claims.domain.cms1500 import cms1500_pages
from claims.pdf_cms1500 import cms1500_html, cms1500_pdf
from tests.edi.samples837 import SUPERVISOR, claim, line, secondary_claim

SIGNED = date(2026, 3, 12)


def _text(pdf: bytes) -> str:
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_pdf_carries_the_boxes() -> None:
    subject = claim(supervising=SUPERVISOR, prior_authorization="AUTH77", lines=(line(modifiers=("HN",)),))
    pdf = cms1500_pdf(cms1500_pages(subject, signed_on=SIGNED))
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for value in ("HEALTH INSURANCE CLAIM FORM", "SBX1001", "RIVERA, ANA", "04 02 1985", "DQ STONE, MARIA",
                  SUPERVISOR.npi, "F331", "AUTH77", "03 10 26", "90837", "HN", "150.00", "CLM000001",
                  "123456789", "SIGNATURE ON FILE", "ZZ101YM0800X"):  # fmt: skip
        assert value in text, value


def test_secondary_pdf_and_two_pages() -> None:
    text = _text(cms1500_pdf(cms1500_pages(secondary_claim(), signed_on=SIGNED)))
    assert "SECOND MUTUAL" in text
    assert "SEC2002" in text
    assert "90.00" in text
    lines = tuple(line(control_number=f"L{n}", charge=Decimal("100.00")) for n in range(1, 8))
    pages = cms1500_pages(claim(lines=lines), signed_on=SIGNED)
    html = cms1500_html(pages)
    assert html.count('class="form-page"') == 2
    text = _text(cms1500_pdf(pages))
    assert "page 1 of 2" in text
    assert "page 2 of 2" in text
    assert "CONTINUED" in text
    assert "700.00" in text
