"""Treatment-plan routes, mounted by billing/urls.py at /plans/ (namespace "plans") and
/api/plans/ (namespace "plans_api"); the paths are the ones they had inside clinical_notes."""

from django.urls import URLPattern, URLResolver, path

from treatment_plans import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("patients/<int:patient_id>/", views.plan_list, name="list"),
    path("patients/<int:patient_id>/new/", views.plan_create, name="create"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("<int:plan_id>/sign/", views.plan_sign, name="sign"),
    path("<int:plan_id>/activate/", views.plan_activate, name="activate"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.PlanListApi.as_view(), name="list"),
    path("create/", api.PlanCreateApi.as_view(), name="create"),
    path("<int:plan_id>/", api.PlanDetailApi.as_view(), name="detail"),
    path("<int:plan_id>/update/", api.PlanUpdateApi.as_view(), name="update"),
    path("<int:plan_id>/sign/", api.PlanSignApi.as_view(), name="sign"),
    path("<int:plan_id>/activate/", api.PlanActivateApi.as_view(), name="activate"),
]
