"""A session note as a PDF (for records requests and appeals), rendered with WeasyPrint.

The caller reads the note through `selectors.note_get(..., purpose="pdf")` (which records the
audit event) and passes the read-only view model; this module only lays it out.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from clinical_notes.view_models import NoteView


def note_pdf(note: NoteView, *, generated_label: str, generated_by: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only PDFs need it

    html = render_to_string(
        "clinical_notes/note_pdf.html",
        {"note": note, "generated_label": generated_label, "generated_by": generated_by},
    )
    document: bytes = HTML(string=html).write_pdf()
    return document
