from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<int:job_id>/retry", views.job_retry, name="job_retry"),
]
