"""A patient statement as a PDF (WeasyPrint), laid out from the statement's stored content."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string

from core.formatting import date_label
from core.money import format_cents
from ledger.models import PatientStatement


def _day(iso: str) -> str:
    return date_label(date.fromisoformat(iso), weekday=False)


def statement_view_model(statement: PatientStatement) -> dict[str, Any]:
    """The statement's lines in words and dollars (the PDF and the screen share it)."""
    content = statement.content
    claims = [
        {
            "date": _day(row["date_of_service"]),
            "payer": row["payer"],
            "status": row["status"],
            "billed": format_cents(row["billed_cents"]),
            "insurance_paid": format_cents(row["insurance_paid_cents"]),
            "adjusted": format_cents(row["adjusted_cents"]),
            "your_share": "Pending insurance"
            if row["pending"]
            else format_cents(row["patient_responsibility_cents"]),
            "paid": format_cents(-row["patient_paid_cents"]) if row["patient_paid_cents"] else "",
            "due": format_cents(row["due_cents"])
            if not row["credit_cents"]
            else f"credit {format_cents(row['credit_cents'])}",
        }
        for row in content.get("claims", [])
    ]
    payments = [
        {
            "date": _day(row["received_on"]),
            "label": "Patient payment" + (" (copay at the visit)" if row["at_time_of_service"] else ""),
            "method": row["method"],
            "amount": format_cents(-row["amount_cents"]),
        }
        for row in content.get("payments", [])
    ]
    return {
        "statement": statement,
        "patient_name": content.get("patient_name", ""),
        "statement_date": date_label(statement.statement_date, weekday=False),
        "claims": claims,
        "payments": payments,
        "refunded": format_cents(content.get("refunded_cents", 0)) if content.get("refunded_cents") else "",
        "insurance_pending": format_cents(statement.insurance_pending_cents),
        "unapplied": format_cents(statement.unapplied_cents) if statement.unapplied_cents else "",
        "amount_due": format_cents(statement.amount_due_cents),
        "credit": format_cents(statement.credit_cents) if statement.credit_cents else "",
    }


def statement_pdf(statement: PatientStatement) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only PDFs need it

    html = render_to_string("ledger/statement_pdf.html", statement_view_model(statement))
    document: bytes = HTML(string=html).write_pdf()
    return document
