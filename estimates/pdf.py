"""A Good Faith Estimate as a PDF (WeasyPrint), laid out from the stored document."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def gfe_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only PDFs need it

    html = render_to_string("estimates/gfe_pdf.html", context)
    document: bytes = HTML(string=html).write_pdf()
    return document
