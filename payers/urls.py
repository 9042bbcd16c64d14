from django.urls import path

from payers import api, rule_views, views

app_name = "payers"

urlpatterns = [
    path("", views.payer_list, name="list"),
    path("new/", views.payer_create, name="create"),
    path("<int:payer_pk>/edit/", views.payer_edit, name="edit"),
    path("enrollments/set/", views.enrollment_set, name="enrollment_set"),
    path("<int:payer_pk>/", rule_views.payer_detail, name="detail"),
    path("<int:payer_pk>/rules/new/", rule_views.rule_set_create, name="rule_set_create"),
    path("<int:payer_pk>/rules/<int:rule_set_id>/", rule_views.rule_set_detail, name="rule_set_detail"),
    path("<int:payer_pk>/rules/<int:rule_set_id>/edit/", rule_views.rule_set_edit, name="rule_set_edit"),
]

api_urlpatterns = [
    path("", api.PayerListApi.as_view(), name="payer_list"),
    path("create/", api.PayerCreateApi.as_view(), name="payer_create"),
    path("<int:payer_pk>/", api.PayerDetailApi.as_view(), name="payer_detail"),
    path("<int:payer_pk>/update/", api.PayerUpdateApi.as_view(), name="payer_update"),
    path("enrollments/set/", api.EnrollmentSetApi.as_view(), name="enrollment_set"),
]
