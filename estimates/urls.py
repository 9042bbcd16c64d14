from django.urls import path

from estimates import api, views

app_name = "estimates"

urlpatterns = [
    path("fees/", views.fee_list, name="fees"),
    path("fees/allowed/new/", views.allowed_amount_add, name="allowed_add"),
    path("fees/import/", views.fee_import, name="fee_import"),
    path("appointments/<int:appointment_id>/", views.appointment_estimate, name="appointment"),
    path("good-faith/", views.gfe_list, name="gfe_list"),
    path("good-faith/new/", views.gfe_create, name="gfe_create"),
    path("good-faith/<int:estimate_id>/", views.gfe_detail, name="gfe_detail"),
    path("good-faith/<int:estimate_id>/given/", views.gfe_issue, name="gfe_issue"),
    path("good-faith/<int:estimate_id>/pdf/", views.gfe_pdf_download, name="gfe_pdf"),
]

api_urlpatterns = [
    path("fees/", api.FeeListApi.as_view(), name="fee_list"),
    path("fees/allowed/", api.AllowedAmountSetApi.as_view(), name="allowed_set"),
    path("fees/import/", api.FeeImportApi.as_view(), name="fee_import"),
    path("appointments/<int:appointment_id>/", api.AppointmentEstimateApi.as_view(), name="appointment"),
    path("good-faith/", api.GoodFaithEstimateListApi.as_view(), name="gfe_list"),
    path("good-faith/create/", api.GoodFaithEstimateCreateApi.as_view(), name="gfe_create"),
    path("good-faith/<int:estimate_id>/", api.GoodFaithEstimateDetailApi.as_view(), name="gfe_detail"),
]
