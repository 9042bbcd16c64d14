"""The appeal letter as a PDF (WeasyPrint), laid out from `selectors.AppealLetter`."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def appeal_letter_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only PDFs need it

    html = render_to_string("denials/appeal_letter_pdf.html", context)
    document: bytes = HTML(string=html).write_pdf()
    return document
