"""Claim screens (mounted at /claims/, namespace "claims") and API (/api/claims/, "claims_api")."""

from django.urls import URLPattern, URLResolver, path

from claims import claim_api, claim_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", claim_views.claim_list, name="list"),
    path("export.csv", claim_views.claim_export, name="export"),
    path("batches/", claim_views.batch_list, name="batches"),
    path("batches/submit/", claim_views.batch_submit, name="batch_submit"),
    path("batches/progress/", claim_views.batch_progress, name="batch_progress"),
    path("rejections/", claim_views.rejection_list, name="rejections"),
    path("<int:claim_id>/", claim_views.claim_detail, name="detail"),
    path("<int:claim_id>/cms1500.pdf", claim_views.claim_pdf, name="pdf"),
    path("<int:claim_id>/resubmit/", claim_views.claim_resubmit, name="resubmit"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", claim_api.ClaimListApi.as_view(), name="list"),
    path("batches/", claim_api.BatchApi.as_view(), name="batches"),
    path("rejections/", claim_api.RejectionListApi.as_view(), name="rejections"),
    path("<int:claim_id>/", claim_api.ClaimDetailApi.as_view(), name="detail"),
    path("<int:claim_id>/resubmit/", claim_api.ClaimResubmitApi.as_view(), name="resubmit"),
]
