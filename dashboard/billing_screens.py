"""The billing dashboard (mounted at /billing/): A/R aging by payer and for patients on a chosen
basis and "as of" date, the KPIs, the work queues (each a count that opens its list, with the
filters kept in the URL), a chart, and the claim worklist behind every number, with CSV.

BILLING_VIEW (billers, practice admins). The worklist names patients: an audited list read.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import screen_access
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.services import audit_event_record
from authorizations.selectors import authorizations_running_out_count
from core.csv_export import csv_response
from core.formatting import date_label
from core.money import decimal_from_cents, format_cents
from core.views import app_errors
from dashboard import ar_selectors as selectors
from dashboard.charts import grouped_bars
from eligibility.selectors import session_problem_count
from ledger.domain.aging import AGING_BASIS_LABELS, BUCKET_KEYS, BUCKET_LABELS, aging_basis
from practice.selectors import practice_today, practice_zone
from remittance.domain.era_monitoring import EraSilence, PayerEraFacts, era_silences
from remittance.selectors import provider_items_open_count

LIST_LIMIT = 200


def _as_of(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return today


def _money(cents: int | None) -> str:
    return format_cents(cents or 0)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _local_date(value: dt.datetime | None, zone: dt.tzinfo) -> dt.date | None:
    return timezone.localtime(value, zone).date() if value is not None else None


def _silence_text(alert: EraSilence) -> str:
    if alert.since is None:
        return f"No ERA ever received from {alert.payer_name}"
    return (
        f"No ERA from {alert.payer_name} since {date_label(alert.since, weekday=False)} ({alert.days} days)"
    )


def _era_monitoring(*, practice_id: int, today: dt.date) -> dict[str, object]:
    """R19: per payer its ERA enrolment and last ERA, and the alerts for payers gone silent."""
    zone = practice_zone(practice_id=practice_id)
    window = settings.ERA_SILENCE_CLAIM_WINDOW_DAYS
    overview = selectors.payer_era_overview(
        practice_id=practice_id, since=timezone.now() - dt.timedelta(days=window + 1)
    )
    facts = [
        PayerEraFacts(
            payer_pk=p.payer_pk,
            payer_name=p.name,
            last_era_on=_local_date(p.last_era_at, zone),
            last_claim_on=_local_date(p.last_claim_at, zone),
            era_enrolled_on=p.era_enrolled_on,
        )
        for p in overview
    ]
    alerts = era_silences(
        facts, today=today, threshold_days=settings.ERA_SILENCE_DAYS, claim_window_days=window
    )
    return {
        "era_alerts": [
            {"text": _silence_text(a), "url": reverse("payers:detail", args=[a.payer_pk])} for a in alerts
        ],
        "era_payers": [
            {
                "name": p.name,
                "enrollment": p.era_enrollment,
                "enrolled_on": date_label(p.era_enrolled_on, weekday=False) or "—",
                "last_era": date_label(f.last_era_on, weekday=False) or "none received",
                "url": reverse("payers:detail", args=[p.payer_pk]),
            }
            for p, f in zip(overview, facts, strict=True)
        ],
        "era_silence_days": settings.ERA_SILENCE_DAYS,
    }


def _claims_url(**query: object) -> str:
    params = {k: str(v) for k, v in query.items() if v not in (None, "")}
    return f"{reverse('billing_dashboard:claims')}?{urlencode(params)}"


@login_required
@require_GET
@app_errors
def dashboard(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    practice_id = access.practice_id
    today = practice_today(practice_id=practice_id)
    basis = aging_basis(request.GET.get("basis"))
    as_of = _as_of(request, today)
    keep = {"basis": basis.value, "as_of": as_of.isoformat()}
    aging = selectors.ar_aging(practice_id=practice_id, basis=basis, as_of=as_of)
    total = aging.insurance_total
    if request.GET.get("format") == "csv":
        return csv_response(
            f"ar-aging-{basis.value}-{as_of.isoformat()}.csv",
            ["Payer", "Side", *[BUCKET_LABELS[k] for k in BUCKET_KEYS], "Total", "Claims"],
            [
                [
                    row.label,
                    side,
                    *[decimal_from_cents(c) for _k, c in row.cells()],
                    decimal_from_cents(row.total),
                    row.claims,
                ]
                for side, row in [*(("insurance", r) for r in aging.insurance), ("patient", aging.patients)]
            ],
        )
    ar_cents = total.total + aging.patients.total
    kpis = selectors.billing_kpis(practice_id=practice_id, today=today, ar_cents=ar_cents)
    now = timezone.now()
    queues = selectors.claim_queue_counts(practice_id=practice_id, now=now)
    tiles = [
        {
            "key": q.key,
            "label": q.label,
            "count": q.count,
            "detail": _money(q.cents),
            "url": _claims_url(queue=q.key, **keep),
            "tone": "bad" if q.count else "",
        }
        for q in queues
    ]
    unmatched = selectors.unmatched_era_count(practice_id=practice_id)
    provider_items = provider_items_open_count(practice_id=practice_id)
    cosign = selectors.notes_awaiting_cosign_count(practice_id=practice_id)
    denials, overdue = selectors.denials_due_soon_count(practice_id=practice_id, today=today)
    running_out = authorizations_running_out_count(access=access)
    tiles += [
        {
            "key": "denials_due",
            "label": "Denials due soon",
            "count": denials,
            "detail": f"{overdue} past the appeal deadline" if overdue else "appeal deadline within 14 days",
            "url": reverse("denials:queue"),
            "tone": "bad" if overdue else ("warn" if denials else ""),
        },
        {
            "key": "unmatched_era",
            "label": "Unmatched ERA lines",
            "count": unmatched,
            "detail": "",
            "url": reverse("remittance:exceptions"),
            "tone": "bad" if unmatched else "",
        },
        {
            "key": "provider_items",
            "label": "Open provider-level items",
            "count": provider_items,
            "detail": "forward balances and recoupments",
            "url": reverse("remittance:provider_items"),
            "tone": "warn" if provider_items else "",
        },
        {
            "key": "awaiting_cosign",
            "label": "Notes awaiting co-sign",
            "count": cosign,
            "detail": "charges wait for them",
            "url": reverse("clinical_notes:list") + "?status=awaiting_cosign",
            "tone": "warn" if cosign else "",
        },
        {
            "key": "auth_running_out",
            "label": "Authorizations running out",
            "count": running_out,
            "detail": "",
            "url": reverse("authorizations:list") + "?alerting=1",
            "tone": "warn" if running_out else "",
        },
    ]
    if access.can(Capability.COVERAGE_EDIT):
        problems = session_problem_count(practice_id=practice_id)
        tiles.append(
            {
                "key": "eligibility",
                "label": "Eligibility problems",
                "count": problems,
                "detail": "upcoming sessions",
                "url": reverse("eligibility:problems"),
                "tone": "bad" if problems else "",
            }
        )

    def aging_cells(row: selectors.AgingRow, side: str, payer: str = "") -> list[dict[str, str]]:
        return [
            {
                "key": key,
                "amount": _money(cents),
                "url": _claims_url(side=side, payer=payer, bucket=key, **keep),
            }
            for key, cents in row.cells()
        ]

    chart = grouped_bars(
        [
            (
                BUCKET_LABELS[key],
                [
                    (
                        "insurance",
                        total.buckets[key],
                        f"Insurance {BUCKET_LABELS[key]} days: {_money(total.buckets[key])}",
                    ),
                    (
                        "patient",
                        aging.patients.buckets[key],
                        f"Patients {BUCKET_LABELS[key]} days: {_money(aging.patients.buckets[key])}",
                    ),
                ],
            )
            for key in BUCKET_KEYS
        ]
    )
    over_90 = total.buckets["91_120"] + total.buckets["120_plus"]
    context = {
        "basis": basis.value,
        "bases": [(b.value, label) for b, label in AGING_BASIS_LABELS.items()],
        "basis_label": AGING_BASIS_LABELS[basis],
        "as_of": as_of.isoformat(),
        "as_of_label": date_label(as_of, weekday=False),
        "bucket_labels": [BUCKET_LABELS[k] for k in BUCKET_KEYS],
        "payer_rows": [
            {
                "label": row.label,
                "cells": aging_cells(row, "insurance", row.key),
                "total": _money(row.total),
                "claims": row.claims,
            }
            for row in aging.insurance
        ],
        "insurance_total": {
            "cells": aging_cells(total, "insurance"),
            "total": _money(total.total),
            "claims": total.claims,
        },
        "patient_row": {
            "cells": aging_cells(aging.patients, "patient"),
            "total": _money(aging.patients.total),
            "claims": aging.patients.claims,
        },
        "patient_credit": _money(aging.patient_credit_cents),
        "over_90_share": _pct(100 * over_90 / total.total if total.total else None),
        "kpis": {
            "days_in_ar": "—" if kpis.days_in_ar is None else f"{kpis.days_in_ar:.1f}",
            "clean": _pct(kpis.clean_claim_rate),
            "clean_of": kpis.submitted_first_time,
            "denial": _pct(kpis.denial_rate),
            "denial_of": kpis.adjudicated,
            "collections": _money(kpis.collections_cents),
            "collections_insurance": _money(kpis.insurance_collections_cents),
            "collections_patient": _money(kpis.patient_collections_cents),
            "period": kpis.period_days,
        },
        "tiles": tiles,
        "chart": chart,
        "csv_url": f"{reverse('billing_dashboard:dashboard')}?{urlencode({**keep, 'format': 'csv'})}",
        "patients_url": reverse("patient_billing:ar"),
        **_era_monitoring(practice_id=practice_id, today=today),
    }
    return render(request, "dashboard/billing.html", context)


@login_required
@require_GET
@app_errors
def claim_list(request: HttpRequest) -> HttpResponse:
    """The claims behind a tile or an aging cell; the filters stay in the URL (and the CSV)."""
    access = screen_access(request, Capability.BILLING_VIEW)
    practice_id = access.practice_id
    today = practice_today(practice_id=practice_id)
    basis = aging_basis(request.GET.get("basis"))
    as_of = _as_of(request, today)
    queue = request.GET.get("queue", "")
    queue = queue if queue in selectors.QUEUES else ""
    side = request.GET.get("side", "")
    side = side if side in ("insurance", "patient") else ""
    bucket = request.GET.get("bucket", "")
    bucket = bucket if bucket in BUCKET_KEYS else ""
    payer_text = request.GET.get("payer", "")
    payer_id = int(payer_text) if payer_text.isdigit() else None
    want_csv = request.GET.get("format") == "csv"
    rows, count = selectors.claim_worklist(
        practice_id=practice_id,
        basis=basis,
        as_of=as_of,
        now=timezone.now(),
        queue=queue,
        payer_id=payer_id,
        bucket=bucket,
        side=side,
        limit=None if want_csv else LIST_LIMIT,
    )
    audit_event_record(
        context=access.audit,
        action="export" if want_csv else "list",
        category=Category.BILLING,
        practice_id=practice_id,
        object_type="claim",
        detail=f"queue={queue};side={side};bucket={bucket};payer={payer_id or ''};results={count}",
        shown_patient_ids=sorted({row.patient_id for row in rows}),
    )
    if want_csv:
        return csv_response(
            "claims-worklist.csv",
            [
                "Claim",
                "Patient",
                "Account",
                "Payer",
                "Date of service",
                "Status",
                "Billed",
                "Insurance owes",
                "Patient owes",
                "Aged from",
                "Bucket",
            ],
            [
                [
                    r.claim_id,
                    r.patient_name,
                    r.patient_id,
                    r.payer_name,
                    r.date_from.isoformat(),
                    r.status_label,
                    decimal_from_cents(r.total_cents),
                    decimal_from_cents(r.insurance_cents),
                    decimal_from_cents(r.patient_cents),
                    r.basis_date.isoformat() if r.basis_date else "",
                    BUCKET_LABELS.get(r.bucket, ""),
                ]
                for r in rows
            ],
        )
    filters = {
        "basis": basis.value,
        "as_of": as_of.isoformat(),
        "queue": queue,
        "side": side,
        "bucket": bucket,
        "payer": payer_id or "",
    }
    described = [selectors.QUEUES[queue]] if queue else []
    if side:
        described.append("insurance A/R" if side == "insurance" else "patient A/R")
    if bucket:
        described.append(f"{BUCKET_LABELS[bucket]} days by {AGING_BASIS_LABELS[basis].lower()}")
    context = {
        "rows": [
            {
                "row": r,
                "date": date_label(r.date_from, weekday=False),
                "billed": _money(r.total_cents),
                "insurance": _money(r.insurance_cents),
                "patient": _money(r.patient_cents),
                "bucket": BUCKET_LABELS.get(r.bucket, ""),
                "account_url": reverse("patient_billing:account", args=[r.patient_id]),
            }
            for r in rows
        ],
        "count": count,
        "limit": LIST_LIMIT,
        "title": ", ".join(described) or "All claims",
        "csv_url": _claims_url(**filters, format="csv"),
        "back_url": f"{reverse('billing_dashboard:dashboard')}?{urlencode({'basis': basis.value, 'as_of': as_of.isoformat()})}",
    }
    return render(request, "dashboard/billing_claims.html", context)
