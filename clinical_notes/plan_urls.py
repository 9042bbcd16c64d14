"""Treatment-plan routes, mounted by billing/urls.py at /plans/ (namespace "plans") and
/api/plans/ (namespace "plans_api")."""

from django.urls import path

from clinical_notes import plan_api, plan_views

plan_urlpatterns = [
    path("patients/<int:patient_id>/", plan_views.plan_list, name="list"),
    path("patients/<int:patient_id>/new/", plan_views.plan_create, name="create"),
    path("<int:plan_id>/", plan_views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", plan_views.plan_edit, name="edit"),
    path("<int:plan_id>/sign/", plan_views.plan_sign, name="sign"),
    path("<int:plan_id>/activate/", plan_views.plan_activate, name="activate"),
]

plan_api_urlpatterns = [
    path("", plan_api.PlanListApi.as_view(), name="list"),
    path("create/", plan_api.PlanCreateApi.as_view(), name="create"),
    path("<int:plan_id>/", plan_api.PlanDetailApi.as_view(), name="detail"),
    path("<int:plan_id>/update/", plan_api.PlanUpdateApi.as_view(), name="update"),
    path("<int:plan_id>/sign/", plan_api.PlanSignApi.as_view(), name="sign"),
    path("<int:plan_id>/activate/", plan_api.PlanActivateApi.as_view(), name="activate"),
]
