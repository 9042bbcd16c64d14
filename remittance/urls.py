from django.urls import path

from remittance import api, provider_views, views

app_name = "remittance"

urlpatterns = [
    path("eras/", views.era_list, name="era_list"),
    path("eras/upload/", views.era_upload, name="era_upload"),
    path("eras/<int:era_id>/", views.era_detail, name="era_detail"),
    path("eras/<int:era_id>/post-anyway/", views.era_force_post_view, name="era_force_post"),
    path("eras/<int:era_id>/withdraw/", views.era_withdraw_view, name="era_withdraw"),
    path("exceptions/", views.exception_queue, name="exceptions"),
    path("provider-items/", provider_views.provider_items, name="provider_items"),
    path(
        "provider-items/<int:item_id>/close/",
        provider_views.provider_item_close_view,
        name="provider_item_close",
    ),
    path("exceptions/<int:exception_id>/match/", views.exception_match_view, name="exception_match"),
    path(
        "exceptions/<int:exception_id>/match-lines/",
        views.exception_lines_match_view,
        name="exception_lines_match",
    ),
    path("exceptions/<int:exception_id>/dismiss/", views.exception_dismiss_view, name="exception_dismiss"),
]

api_urlpatterns = [
    path("eras/", api.EraListApi.as_view(), name="era_list"),
    path("eras/upload/", api.EraUploadApi.as_view(), name="era_upload"),
    path("eras/<int:era_id>/", api.EraDetailApi.as_view(), name="era_detail"),
    path("exceptions/", api.ExceptionListApi.as_view(), name="exceptions"),
    path("exceptions/<int:exception_id>/match/", api.ExceptionMatchApi.as_view(), name="exception_match"),
    path(
        "exceptions/<int:exception_id>/match-lines/",
        api.ExceptionLinesMatchApi.as_view(),
        name="exception_lines_match",
    ),
    path(
        "exceptions/<int:exception_id>/dismiss/", api.ExceptionDismissApi.as_view(), name="exception_dismiss"
    ),
]
