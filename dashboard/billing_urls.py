from django.urls import path

from dashboard import billing_screens as views

app_name = "billing_dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("claims/", views.claim_list, name="claims"),
]
