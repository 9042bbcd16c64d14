from django.urls import path

from ledger import views

app_name = "patient_billing"

urlpatterns = [
    path("", views.patient_ar, name="ar"),
    path("statements/", views.statements_run, name="statements_run"),
    path("appointments/<int:appointment_id>/payment/", views.appointment_payment, name="appointment_payment"),
    path("<int:patient_id>/", views.account, name="account"),
    path("<int:patient_id>/payments/", views.payment_add, name="payment_add"),
    path("<int:patient_id>/apply-credit/", views.credit_apply, name="credit_apply"),
    path("<int:patient_id>/refund/", views.refund, name="refund"),
    path("<int:patient_id>/statements/", views.statement_create, name="statement_create"),
    path(
        "<int:patient_id>/statements/<int:statement_id>.pdf", views.statement_pdf_view, name="statement_pdf"
    ),
]
