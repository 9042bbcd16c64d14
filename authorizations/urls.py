from django.urls import path

from authorizations import api, views

app_name = "authorizations"

urlpatterns = [
    path("", views.authorization_list, name="list"),
    path("new/", views.authorization_create, name="create"),
    path("<int:authorization_id>/", views.authorization_detail, name="detail"),
    path("<int:authorization_id>/edit/", views.authorization_edit, name="edit"),
]

api_urlpatterns = [
    path("", api.AuthorizationListApi.as_view(), name="authorization_list"),
    path("create/", api.AuthorizationCreateApi.as_view(), name="authorization_create"),
    path("<int:authorization_id>/", api.AuthorizationDetailApi.as_view(), name="authorization_detail"),
    path("<int:authorization_id>/update/", api.AuthorizationUpdateApi.as_view(), name="authorization_update"),
]
