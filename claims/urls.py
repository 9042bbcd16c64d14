from django.urls import URLPattern, URLResolver, path

from claims import api, views
from claims.api import claim_screens as claim_api
from claims.views import claim_screens as claim_views

app_name = "charges"

# Screens (mounted at /charges/): the list, one note's charges and the biller's actions.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.charge_list, name="list"),
    path("review/", views.charge_set_review_many, name="review_many"),
    path("<int:charge_set_id>/", views.charge_set_detail, name="detail"),
    path("<int:charge_set_id>/review/", views.charge_set_review, name="review"),
    path("<int:charge_set_id>/scrub/", views.charge_set_scrub, name="scrub"),
    path("notes/<int:note_id>/", views.charges_for_note, name="for_note"),
    path("lines/<int:charge_id>/override/", views.charge_override, name="override"),
    path("<int:charge_set_id>/lines/add/", views.charge_line_add, name="line_add"),
]

# API (mounted at /api/charges/, namespace charges_api).
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.ChargeListApi.as_view(), name="list"),
    path("<int:charge_set_id>/", api.ChargeSetDetailApi.as_view(), name="detail"),
    path("<int:charge_set_id>/scrub/", api.ChargeSetScrubApi.as_view(), name="scrub"),
    path("<int:charge_set_id>/review/", api.ChargeSetReviewApi.as_view(), name="review"),
    path("notes/<int:note_id>/", api.ChargeSetForNoteApi.as_view(), name="for_note"),
    path("lines/<int:charge_id>/override/", api.ChargeOverrideApi.as_view(), name="override"),
    path("<int:charge_set_id>/lines/", api.ChargeLineAddApi.as_view(), name="line_add"),
]

# Claim screens (mounted at /claims/, namespace "claims") and API (/api/claims/, "claims_api").
claim_urlpatterns: list[URLPattern | URLResolver] = [
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

claim_api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", claim_api.ClaimListApi.as_view(), name="list"),
    path("batches/", claim_api.BatchApi.as_view(), name="batches"),
    path("rejections/", claim_api.RejectionListApi.as_view(), name="rejections"),
    path("<int:claim_id>/", claim_api.ClaimDetailApi.as_view(), name="detail"),
    path("<int:claim_id>/resubmit/", claim_api.ClaimResubmitApi.as_view(), name="resubmit"),
]
