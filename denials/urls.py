from django.urls import path

from denials import api, views

app_name = "denials"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.csv", views.queue_export, name="export"),
    path("<int:denial_id>/", views.detail, name="detail"),
    path("<int:denial_id>/assign/", views.assign, name="assign"),
    path("<int:denial_id>/<slug:operation>/", views.act, name="act"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:appeal_id>/letter.pdf", views.appeal_letter, name="appeal_letter"),
    path("appeals/<int:appeal_id>/outcome/", views.appeal_outcome, name="appeal_outcome"),
    path("appeals/<int:appeal_id>/submitted/", views.appeal_submitted, name="appeal_submitted"),
    path("analytics/", views.analytics, name="analytics"),
    path("analytics/export.csv", views.analytics_export, name="analytics_export"),
]

api_urlpatterns = [
    path("", api.DenialListApi.as_view(), name="list"),
    path("<int:denial_id>/", api.DenialDetailApi.as_view(), name="detail"),
    path("<int:denial_id>/actions/", api.DenialActionApi.as_view(), name="action"),
    path("appeals/", api.AppealListApi.as_view(), name="appeals"),
    path("appeals/<int:appeal_id>/outcome/", api.AppealOutcomeApi.as_view(), name="appeal_outcome"),
    path("analytics/", api.DenialAnalyticsApi.as_view(), name="analytics"),
]
