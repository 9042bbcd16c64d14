from django.urls import path

from patients import api, views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:patient_id>/", views.patient_detail, name="detail"),
    path("<int:patient_id>/edit/", views.patient_edit, name="edit"),
    path("<int:patient_id>/coverages/new/", views.coverage_add, name="coverage_add"),
    path(
        "<int:patient_id>/coverages/<int:coverage_id>/terminate/",
        views.coverage_terminate,
        name="coverage_terminate",
    ),
    path("<int:patient_id>/diagnoses/new/", views.diagnosis_add, name="diagnosis_add"),
    path(
        "<int:patient_id>/diagnoses/<int:diagnosis_id>/resolve/",
        views.diagnosis_resolve,
        name="diagnosis_resolve",
    ),
    path("<int:patient_id>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:patient_id>/consents/<int:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("<int:patient_id>/care-team/add/", views.care_team_add, name="care_team_add"),
    path(
        "<int:patient_id>/care-team/<int:member_id>/remove/", views.care_team_remove, name="care_team_remove"
    ),
]

api_urlpatterns = [
    path("", api.PatientListApi.as_view(), name="list"),
    path("search/", api.PatientSearchApi.as_view(), name="search"),
    path("create/", api.PatientCreateApi.as_view(), name="create"),
    path("<int:patient_id>/", api.PatientDetailApi.as_view(), name="detail"),
    path("<int:patient_id>/update/", api.PatientUpdateApi.as_view(), name="update"),
    path("<int:patient_id>/coverages/create/", api.CoverageAddApi.as_view(), name="coverage_add"),
    path(
        "<int:patient_id>/coverages/<int:coverage_id>/update/",
        api.CoverageUpdateApi.as_view(),
        name="coverage_update",
    ),
    path(
        "<int:patient_id>/coverages/<int:coverage_id>/terminate/",
        api.CoverageTerminateApi.as_view(),
        name="coverage_terminate",
    ),
    path("<int:patient_id>/diagnoses/create/", api.DiagnosisAddApi.as_view(), name="diagnosis_add"),
    path(
        "<int:patient_id>/diagnoses/<int:diagnosis_id>/resolve/",
        api.DiagnosisResolveApi.as_view(),
        name="diagnosis_resolve",
    ),
    path("<int:patient_id>/consents/create/", api.ConsentAddApi.as_view(), name="consent_add"),
    path(
        "<int:patient_id>/consents/<int:consent_id>/revoke/",
        api.ConsentRevokeApi.as_view(),
        name="consent_revoke",
    ),
    path("<int:patient_id>/care-team/create/", api.CareTeamAddApi.as_view(), name="care_team_add"),
    path(
        "<int:patient_id>/care-team/<int:member_id>/remove/",
        api.CareTeamRemoveApi.as_view(),
        name="care_team_remove",
    ),
]
