"""Corrections routes: screens under /claims/ (namespace claim_corrections) and the API under
/api/claims/ (namespace claim_corrections_api)."""

from django.urls import URLPattern, URLResolver, path

from claims import api_corrections, views_corrections

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:claim_id>/corrections/", views_corrections.claim_corrections_page, name="page"),
    path("<int:claim_id>/replace/", views_corrections.claim_replace_view, name="replace"),
    path("<int:claim_id>/void/", views_corrections.claim_void_view, name="void"),
    path("<int:claim_id>/next-payer/", views_corrections.claim_secondary_view, name="next_payer"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:claim_id>/corrections/", api_corrections.ClaimCorrectionsApi.as_view(), name="panel"),
    path("<int:claim_id>/replace/", api_corrections.ClaimReplaceApi.as_view(), name="replace"),
    path("<int:claim_id>/void/", api_corrections.ClaimVoidApi.as_view(), name="void"),
    path("<int:claim_id>/next-payer/", api_corrections.ClaimSecondaryApi.as_view(), name="next_payer"),
]
