from django.urls import path  # noqa: F401

app_name = "practice"

urlpatterns: list = []  # type: ignore[type-arg]

api_urlpatterns: list = []  # type: ignore[type-arg]
