"""Payer-rules screens, mounted by billing/urls.py at /payers/ in the "payers" namespace beside
payers.urls (the paths and names they had inside payers: `payers:detail`, `payers:rule_set_*`)."""

from django.urls import URLPattern, URLResolver, path

from payer_rules import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:payer_pk>/", views.payer_detail, name="detail"),
    path("<int:payer_pk>/rules/new/", views.rule_set_create, name="rule_set_create"),
    path("<int:payer_pk>/rules/<int:rule_set_id>/", views.rule_set_detail, name="rule_set_detail"),
    path("<int:payer_pk>/rules/<int:rule_set_id>/edit/", views.rule_set_edit, name="rule_set_edit"),
]
