from django.urls import path

from practice import api, team_views, views

app_name = "practice"

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:provider_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<int:provider_id>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<int:provider_id>/licenses/add/", views.license_add, name="license_add"),
    path("providers/<int:provider_id>/supervision/add/", views.supervision_add, name="supervision_add"),
    path("licenses/<int:license_id>/renew/", views.license_renew, name="license_renew"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("supervisions/<int:supervision_id>/end/", views.supervision_end, name="supervision_end"),
    path("settings/", views.settings_view, name="settings"),
    path("team/", team_views.team, name="team"),
    path("team/<int:user_id>/enrolment-code/", team_views.team_code_issue, name="team_code_issue"),
    path("team/<int:user_id>/reset-authenticator/", team_views.team_mfa_reset, name="team_mfa_reset"),
    path("locations/new/", views.location_create, name="location_create"),
    path("locations/<int:location_id>/edit/", views.location_edit, name="location_edit"),
]

api_urlpatterns = [
    path("", api.PracticeDetailApi.as_view(), name="practice_detail"),
    path("update/", api.PracticeUpdateApi.as_view(), name="practice_update"),
    path("providers/", api.ProviderListApi.as_view(), name="provider_list"),
    path("providers/create/", api.ProviderCreateApi.as_view(), name="provider_create"),
    path("providers/<int:provider_id>/", api.ProviderDetailApi.as_view(), name="provider_detail"),
    path("providers/<int:provider_id>/update/", api.ProviderUpdateApi.as_view(), name="provider_update"),
    path("providers/<int:provider_id>/licenses/add/", api.LicenseAddApi.as_view(), name="license_add"),
    path("supervisions/add/", api.SupervisionAddApi.as_view(), name="supervision_add"),
    path("supervisions/<int:supervision_id>/end/", api.SupervisionEndApi.as_view(), name="supervision_end"),
    path("locations/", api.LocationListApi.as_view(), name="location_list"),
    path("locations/create/", api.LocationCreateApi.as_view(), name="location_create"),
    path("locations/<int:location_id>/update/", api.LocationUpdateApi.as_view(), name="location_update"),
]
