from django.urls import path

from eligibility import api, views

app_name = "eligibility"

urlpatterns = [
    path("problems/", views.session_problems, name="problems"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/sftp/", views.sftp_settings, name="sftp_settings"),
    path("patients/<int:patient_id>/", views.patient_eligibility, name="patient"),
    path("checks/<int:check_id>/", views.check_detail, name="check"),
    path("checks/<int:check_id>/carve-out/", views.verify_carve_out, name="verify_carve_out"),
    path("coverages/<int:coverage_id>/verify/", views.verify_coverage, name="verify_coverage"),
    path("appointments/<int:appointment_id>/verify/", views.verify_appointment, name="verify_appointment"),
]

api_urlpatterns = [
    path("checks/create/", api.CheckCreateApi.as_view(), name="check_create"),
    path("checks/<int:check_id>/", api.CheckDetailApi.as_view(), name="check_detail"),
    path("checks/<int:check_id>/carve-out/", api.CarveOutCheckApi.as_view(), name="check_carve_out"),
]
