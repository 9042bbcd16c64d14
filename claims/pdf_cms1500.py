"""The CMS-1500 (02/12) as a PDF (WeasyPrint): a labelled facsimile of the form's boxes, laid out
from the box values of claims.domain.cms1500 (one page per six service lines).

Not an overlay for the red OCR form: a printable record that carries every box with its number,
for paper payers that take a copy and for the practice's records.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from claims.domain.cms1500 import DIAGNOSIS_LETTERS, LINES_PER_PAGE, Boxes

LINE_COLUMNS = ("24A.{n}.from", "24A.{n}.to", "24B.{n}", "24D.{n}", "24D.{n}.modifiers", "24E.{n}",
                "24F.{n}", "24G.{n}", "24I.{n}", "24J.{n}")  # fmt: skip


def _page_context(boxes: Boxes) -> dict[str, Any]:
    rows = [
        [boxes.get(column.format(n=n), "") for column in LINE_COLUMNS] for n in range(1, LINES_PER_PAGE + 1)
    ]
    diagnoses = [(letter, boxes.get(f"21{letter}", "")) for letter in DIAGNOSIS_LETTERS]
    return {"b": {key.replace(".", "_"): value for key, value in boxes.items()}, "rows": rows,
            "diagnoses": diagnoses}  # fmt: skip


def cms1500_html(pages: list[Boxes]) -> str:
    return render_to_string("claims/cms1500_pdf.html", {"pages": [_page_context(p) for p in pages]})


def cms1500_pdf(pages: list[Boxes]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only PDFs need it

    document: bytes = HTML(string=cms1500_html(pages)).write_pdf()
    return document
