from django.urls import URLPattern, URLResolver, path

from audit import api, views

app_name = "audit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.event_list, name="event_list"),
    path("export.csv", views.event_export, name="event_export"),
    path("verify/", views.chain_verify, name="chain_verify"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("events/", api.AuditEventListApi.as_view(), name="event_list"),
    path("verifications/latest/", api.AuditVerificationLatestApi.as_view(), name="verification_latest"),
]
