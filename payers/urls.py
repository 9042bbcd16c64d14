from django.urls import path

from payers import api, views

app_name = "payers"

# Mounted at /payers/ by billing/urls.py together with payer_rules.urls (one "payers" namespace).

urlpatterns = [
    path("", views.payer_list, name="list"),
    path("new/", views.payer_create, name="create"),
    path("<int:payer_pk>/edit/", views.payer_edit, name="edit"),
    path("enrollments/set/", views.enrollment_set, name="enrollment_set"),
]

api_urlpatterns = [
    path("", api.PayerListApi.as_view(), name="payer_list"),
    path("create/", api.PayerCreateApi.as_view(), name="payer_create"),
    path("<int:payer_pk>/", api.PayerDetailApi.as_view(), name="payer_detail"),
    path("<int:payer_pk>/update/", api.PayerUpdateApi.as_view(), name="payer_update"),
    path("enrollments/set/", api.EnrollmentSetApi.as_view(), name="enrollment_set"),
]
